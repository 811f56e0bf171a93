#!/usr/bin/env bash
# Audit the locked dependencies for known vulnerabilities (pip-audit); exceptions, with their
# reasons, are in security/pip-audit-exceptions.txt. See scripts/audit_dependencies.py.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python scripts/audit_dependencies.py "$@"
