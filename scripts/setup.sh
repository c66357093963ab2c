#!/usr/bin/env bash
# Idempotent set-up on a Debian machine with Python 3.11: Debian's chromium, a
# virtual environment in .venv with the pinned requirements (CPU torch unless a
# torch is already there), and the demo model converted into models/.
# Each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "== creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi

stamp="$VENV/.requirements.sha256"
want=$(cat requirements.txt pyproject.toml | sha256sum | cut -d" " -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "== installing Python packages into $VENV"
  if ! "$VENV/bin/python" -c "import torch" 2>/dev/null; then
    # torch first and on its own: on a GPU box install the CUDA build you want into .venv
    # before running this script and it is kept; machines that carry a local torch 2.13.0
    # wheel (our CI image) take it instead of downloading a multi-GB build.
    "$VENV/bin/pip" install -q torch==2.13.0
  fi
  "$VENV/bin/pip" install -q -r requirements.txt
  "$VENV/bin/pip" install -q --no-deps -e .   # the brandtone package, importable from anywhere
  if "$VENV/bin/python" -c "import sys, torch; sys.exit(0 if torch.version.cuda else 1)" 2>/dev/null; then
    # Stage 4's fused RMSNorm/SwiGLU/RoPE kernels (Triton, GPU only): without them the measured default trains
    # 19% slower with 9.5 GiB more memory on an H100 (bench/NOTES.md); stage 4 warns on a GPU without them.
    "$VENV/bin/pip" install -q "liger-kernel>=0.8.5"
  fi
  echo "$want" > "$stamp"
fi

if [ ! -f models/SmolLM2-135M-Instruct/model.safetensors ]; then
  echo "== preparing the demo model (SmolLM2-135M-Instruct, once)"
  "$VENV/bin/python" -m brandtone.demo.model models/SmolLM2-135M-Instruct
fi
