#!/usr/bin/env bash
# Runs the test suite (sets everything up first, idempotently). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
