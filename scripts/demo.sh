#!/usr/bin/env bash
# Runs the whole pipeline on the embedded demo brand (sets everything up first, idempotently).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python scripts/run_demo.py "$@"
