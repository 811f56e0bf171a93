"""Bank statements without the database: parse camt/CSV files, make and find RF references.

- `rf`: ISO 11649 references (`make_rf`, `is_rf`, `find_rf`, `RfLayout` from the settings)
- `model`: `Statement`, `StatementEntry` (integer cents), `StatementError` (lazy, translated
  when shown, naming the line and element)
- `camt`: `parse_camt` for camt.052 / camt.053 / camt.054, any version, parsed safely
- `csvfile`: `parse_csv` for the simple bank CSV documented there
- `generate`: `camt053_for`, camt.053 files for the web-banking sandbox and the tests

Reconciliation (matching entries to payment orders) lives outside, in the payments app.
"""

from dimos.payments.statements.model import Statement


def parse_statement(data: bytes) -> Statement:
    """A camt XML file or a bank CSV file, told apart by their first character."""
    from dimos.payments.statements.camt import parse_camt
    from dimos.payments.statements.csvfile import parse_csv

    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") or head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff"):
        return parse_camt(data)
    return parse_csv(data)
