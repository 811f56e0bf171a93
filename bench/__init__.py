"""`make bench`: Dimos under load with production settings, on SQLite and PostgreSQL.

Not a Django app and not shipped: it drives `manage.py`, gunicorn and wrk from the outside
(runner.py), measures what HTTP cannot show with Django itself (measure.py) and writes
var/bench/report.json and report.md (report.py).
"""
