#!/usr/bin/env bash
# Builds .gpu/site-ours.txz: every package the lent GPU machine's image lacks or holds below a floor
# (its image: Python 3.12, torch 2.11 cu130, transformers 5.17; ../.library/device/KINDS.md lists the rest),
# as py3.12 manylinux wheels unpacked into one folder. bench/gpu_call.sh unpacks it there and puts it first
# on PYTHONPATH (SITE_ARCHIVE=.gpu/site-ours.txz). Run here, where pip reaches the package index; the archive
# travels in `carry` (.gpu is listed in .git/info/exclude). Versions: those the suite passed with on the CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
site=$(mktemp -d) wheels=$(mktemp -d)
trap 'rm -rf "$site" "$wheels"' EXIT
platforms=(--platform manylinux_2_34_x86_64 --platform manylinux_2_31_x86_64 --platform manylinux_2_28_x86_64 --platform manylinux_2_24_x86_64
  --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --platform manylinux1_x86_64)
packages=(
  # the model stack at or above the floors (brandtone/floors.py), and what transformers 5.25 needs beyond the image
  transformers==5.25.0 huggingface_hub==2.5.0 httpx2==2.17.0 httpcore2==2.17.0 truststore==0.10.5 kernels==0.19.1
  tomlkit==0.15.3 trl==1.16.0 bitsandbytes==0.50.2 liger-kernel==0.8.5
  datasets==5.2.0 dill==0.4.1 multiprocess==0.70.19 gguf==0.19.0
  # config and stages 1-3
  pydantic==2.14.4 pydantic_core==2.50.5 annotated-types==0.8.0 typing-inspection==0.4.5
  apify_client==3.4.0 impit==0.15.1 more-itertools==11.2.1 protego==0.7.0
  trafilatura==2.2.0 courlan==1.4.0 htmldate==1.10.0 jusText==3.0.2 lxml_html_clean==0.4.7 dateparser==1.5.0
  babel==2.19.0 tld==0.13.2 pytz==2026.6 tzlocal==5.4.5 tzdata==2026.6
  ftfy==6.3.1 wcwidth==0.9.5 phonenumbers==9.0.43 datasketch==2.0.0 yake==0.7.3 segtok==1.5.11 jellyfish==1.3.0
  # stage 6 and its pages
  nltk==3.10.4 defusedxml==0.7.1 starlette==1.10.0 uvicorn==0.55.0 pyppeteer==2.0.0 pyee==11.1.1 appdirs==1.4.4
  importlib_metadata==10.2.0 lazy-importer==0.1.0
)
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp "${platforms[@]}" \
  -d "$wheels" "${packages[@]}"
# no wheels on the index: rouge-score builds as a pure wheel; websockets 10.4 (pyppeteer's pin) has no cp312
# wheel, and its pure-Python source runs without the optional C speed-ups
python3 -m pip wheel -q --no-deps -w "$wheels" rouge-score==0.1.2
python3 -m pip install -q --no-deps --no-compile --target "$site" --python-version 3.12 --implementation cp \
  --only-binary=:all: "${platforms[@]}" "$wheels"/*.whl
python3 -m pip download -q --no-deps --no-binary :all: -d "$wheels" websockets==10.4
tar xzf "$wheels"/websockets-10.4.tar.gz -C "$wheels"
cp -r "$wheels"/websockets-10.4/src/websockets "$site"/ && rm -f "$site"/websockets/speedups.c
# the image's torch is a CUDA 13 build: bitsandbytes' libraries for other CUDA versions, ROCm and XPU only add weight
find "$site"/bitsandbytes -name 'libbitsandbytes_*.so' ! -name 'libbitsandbytes_cpu.so' ! -name 'libbitsandbytes_cuda13*.so' -delete
find "$site" -name __pycache__ -prune -exec rm -rf {} +
rm -rf "$site"/bin
mkdir -p .gpu
tar cf - -C "$site" . | xz -9 -T0 >.gpu/site-ours.txz
ls -l .gpu/site-ours.txz
