from django_tasks import task


@task()
def extract_text(decision_id: int) -> str:
    """Read the text of a decision's PDF so that search finds words inside it."""
    from dimos.decisions.actions import do_store_extracted_text

    return do_store_extracted_text(decision_id)
