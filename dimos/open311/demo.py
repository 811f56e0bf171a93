"""The demo Open311 client: an account for it and a key published in README."""

from typing import Any

from django.contrib.auth.models import Permission

from dimos.accounts.demo import demo_person, staff_group
from dimos.accounts.models import SignupDoor
from dimos.open311 import actions
from dimos.open311.models import ApiKey

DEMO_API_KEY = "dimos-demo-open311-key"  # published in README, demo data only
DEMO_CLIENT_EMAIL = "open311-demo@example.gr"


def load(out: Any) -> None:
    staff_group().permissions.add(
        *Permission.objects.filter(
            content_type__app_label="open311", codename__in=["change_apikey", "view_apikey"]
        )
    )
    owner = demo_person(
        DEMO_CLIENT_EMAIL, SignupDoor.CITIZEN, first_name="Open311", last_name="Demo client"
    )
    if not ApiKey.objects.filter(key_hash=ApiKey.hash_of(DEMO_API_KEY)).exists():
        actions.do_issue_key("Open311 demo client", owner, None, raw_key=DEMO_API_KEY)
    out.write(f"Open311 demo API key: {DEMO_API_KEY} (account {DEMO_CLIENT_EMAIL})")
