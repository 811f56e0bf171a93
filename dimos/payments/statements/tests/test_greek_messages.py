import pytest
from django.utils import translation

from dimos.payments.statements.csvfile import parse_csv
from dimos.payments.statements.model import StatementError


def test_staff_read_statement_problems_in_greek() -> None:
    with pytest.raises(StatementError) as exc:
        parse_csv(b"reference;date;amount;description\nR1;31/02/2025;10,00;x\n")
    with translation.override("el"):
        assert "Γραμμή 2" in str(exc.value) and "31/02/2025" in str(exc.value)
