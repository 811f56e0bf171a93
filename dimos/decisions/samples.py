"""Believable decision PDFs with Greek text, rendered with WeasyPrint: demo data and tests."""

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string

from dimos.core.pdf import html_to_pdf


def decision_pdf(
    number: str,
    body: str,
    subject: str,
    decision_date: date,
    paragraphs: list[str],
    ada: str = "",
) -> bytes:
    html = render_to_string(
        "decisions/pdf/sample_decision.html",
        {
            "municipality": settings.DIMOS_MUNICIPALITY["name"].upper(),
            "body": body,
            "number": number,
            "subject": subject,
            "decision_date": decision_date,
            "paragraphs": paragraphs,
            "ada": ada,
        },
    )
    return html_to_pdf(html).data
