"""Run the whole pipeline 01-06 on the embedded demo brand and print the evaluation summary.

Serves the demo brand's website (demo/site) on 127.0.0.1 at the port of the
config's `brand.website` (a fixed port, so reruns see the same URLs and the
crawl resumes instead of saving the site twice), then runs each
numbered stage with configs/demo.yaml, exactly as a user would run them by hand:

    python 01_scrape.py --config configs/demo.yaml
    python 02_clean.py --config configs/demo.yaml
    ...

and, before stage 6, the control brand's stages 1-3 with configs/control.yaml (its dataset is the
voice test's control, evaluate.control_dataset). Extra `section.key=value` arguments are passed to
every stage of the demo brand; `--fresh` is passed to 04_finetune.py (it deletes the checkpoints an earlier
run left in paths.checkpoints_dir, which stage 4 otherwise continues, or refuses when its settings differ).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from brandtone.config import load_config
from brandtone.demo.site import serve_site

REPO = Path(__file__).resolve().parent.parent

STAGES = ["01_scrape.py", "02_clean.py", "03_build_dataset.py", "04_finetune.py", "05_merge.py", "06_evaluate.py"]
# The control brand (demo/control, a formal bank): its stages 1-3 make the dataset stage 6's voice test
# must tell apart from the demo brand's (evaluate.control_dataset in configs/demo.yaml).
CONTROL_CONFIG, CONTROL_STAGES = "configs/control.yaml", STAGES[:3]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default="configs/demo.yaml")
    parser.add_argument("--fresh", action="store_true", help="start stage 4's training over (04_finetune.py --fresh)")
    parser.add_argument("overrides", nargs="*", metavar="section.key=value")
    args = parser.parse_args()

    timings = []
    config = load_config(REPO / args.config, args.overrides)
    website = urlsplit(config.brand.website or "http://127.0.0.1:8765/")
    runs = [(script, args.config, args.overrides) for script in STAGES]
    if args.fresh:
        runs[STAGES.index("04_finetune.py")] = ("04_finetune.py", args.config, [*args.overrides, "--fresh"])
    if config.evaluate.control_dataset:  # the control brand's own stages (none of the demo's overrides), before stage 6
        runs[-1:-1] = [(script, CONTROL_CONFIG, []) for script in CONTROL_STAGES]
    with serve_site(REPO / "demo" / "site", host=website.hostname, port=website.port or 80) as base_url:
        print(f"demo site served at {base_url}/", flush=True)
        for script, config_file, overrides in runs:
            label = script if config_file == args.config else f"{script} ({config_file})"
            print(f"\n== {label}", flush=True)
            started = time.time()
            result = subprocess.run([sys.executable, script, "--config", config_file, *overrides], cwd=REPO)
            timings.append((label, time.time() - started))
            if result.returncode != 0:
                print(f"\ndemo stopped: {label} exited with {result.returncode}", file=sys.stderr)
                return result.returncode

    print("\n== stage timings")
    for label, seconds in timings:
        print(f"  {label:<44} {seconds:7.1f} s")
    print(f"  {'total':<44} {sum(s for _, s in timings):7.1f} s")
    report = REPO / "eval" / "report.md"
    if report.is_file():
        print(f"\n== evaluation summary ({report.relative_to(REPO)})\n")
        print(report.read_text(encoding="utf-8").split("\n## Samples")[0])
        print("\n== rate the answers and ask the tuned model for a post in your browser:\n")
        print(
            f"  python 06_evaluate.py --config {args.config} --serve     "
            f"(then open http://{config.evaluate.serve_host}:{config.evaluate.serve_port}/)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
