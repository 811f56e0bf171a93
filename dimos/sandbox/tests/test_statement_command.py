import io

import pytest
from django.core.management import CommandError, call_command

from dimos.accounts.models import User
from dimos.payments import actions
from dimos.payments.statements import parse_statement

pytestmark = pytest.mark.django_db


def test_the_sandbox_writes_a_statement_paying_an_order(citizen: User) -> None:
    order = actions.do_issue_order(amount_cents=2500, description="x", payer_person=citizen)
    out = io.StringIO()
    call_command("sandbox_statement", order.rf, stdout=out)
    statement = parse_statement(out.getvalue().encode())
    actions.do_import_statement(statement, file_name="s.xml", sha256="x")
    order.refresh_from_db()
    assert order.status == "paid"


def test_unknown_rf_without_amount_is_refused(db: None) -> None:
    with pytest.raises(CommandError):
        call_command("sandbox_statement", "RF18539007547034")
