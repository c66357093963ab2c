#!/usr/bin/env bash
# Runs the test suite (sets everything up first, idempotently): ruff's lint and format checks, then pytest.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check --no-cache .
.venv/bin/ruff format --check --no-cache .
exec .venv/bin/python -m pytest "$@"
