#!/usr/bin/env bash
# One call on the lent GPU machine, as issues 27 and 29 ran it (bench/NOTES.md): the packages its image lacks
# unpacked from carried archives, then one of
#   tests   python -m pytest on the GPU: every test that needs neither the demo model's weights nor Chromium
#   27      bench_train.py: the default (first, on a fresh machine: the cold epoch), a T4's plan, bf16 under
#           the same memory, the default as if liger-kernel were not installed
#   29      bench_train.py on one shape (SHAPE, default llama2-7b): VARIANTS (the levers, the peers, the recipe)
# Carried next to this checkout: site-ours.tgz, or the archive SITE_ARCHIVE names (what the image lacks or holds
# below a floor: transformers, huggingface_hub, bitsandbytes, trl, datasets, liger-kernel, pydantic and the test
# suite's packages; bench/pack_gpu_site.sh builds it as .gpu/site-ours.txz), site-peers.tgz (Unsloth, its trl 1.15 and datasets 4), before/ (an older checkout),
# models/SmolLM2-135M-Instruct/ (the demo tokenizer alone). Results go to $OUT.
set -uo pipefail
cd "$(dirname "$0")/.."
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
if [ ! -d /tmp/site/trl ]; then mkdir -p /tmp/site && tar xf "${SITE_ARCHIVE:-site-ours.tgz}" -C /tmp/site; fi
if [ -f site-peers.tgz ] && [ ! -d /tmp/peers/unsloth ]; then mkdir -p /tmp/peers && tar xzf site-peers.tgz -C /tmp/peers; fi
export PYTHONPATH=/tmp/site UNSLOTH_PATH=/tmp/peers
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$OUT/card.txt"
python3 -c "import torch, transformers, peft, trl, bitsandbytes; print('torch', torch.__version__, 'transformers', transformers.__version__, 'peft', peft.__version__, 'trl', trl.__version__, 'bitsandbytes', bitsandbytes.__version__)" | tee -a "$OUT/card.txt"

case "$1" in
  tests)
    # -v names each test as it finishes: a call cut short still says which failed (the summary comes only at the end)
    timeout "${PYTEST_LIMIT_S:-540}" python3 -m pytest -p no:cacheprovider -n "${WORKERS:-8}" -m "not demo_model" -o addopts="-ra" -v \
      --ignore=tests/scrape/test_web.py --ignore=tests/scrape/test_resume.py --ignore=tests/scrape/test_robots_sitemaps.py \
      --ignore=tests/evaluate/test_serve.py \
      --continue-on-collection-errors tests 2>&1 | tee "$OUT/pytest-gpu.txt" | tail -60
    ;;
  27)
    python3 bench/bench_train.py --variants "${VARIANTS:-pipeline,t4_plan,bf16_13.5gib,no_liger_installed}" 2>&1 | tee "$OUT/train-27.log" | grep -v "^{" | tail -40
    ;;
  29)
    python3 bench/bench_train.py --shape "${SHAPE:-llama2-7b}" --before before --variants "$VARIANTS" 2>&1 \
      | tee "$OUT/train-29-${SHAPE:-llama2-7b}.log" | grep -v "^{" | tail -40
    ;;
esac
cp bench/results/train.jsonl "$OUT/" 2>/dev/null || true
