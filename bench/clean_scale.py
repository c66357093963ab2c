"""Benchmark: stage 2 (02_clean.py) on 100,000 synthetic social posts; prints the time.

    .venv/bin/python bench/clean_scale.py [--posts 100000] [--keep DIR]

Writes a stage-1 style files/ folder of synthetic Facebook and Instagram items
(unique posts in the demo brand's mix of English, Roman Urdu, emoji, hashtags,
prices and years; plus planted cross-posts, reposts with extra hashtags or
"!!", posts with phone numbers and emails, collabs, errors and empties), runs
02_clean.py on it exactly as a user would, and prints the wall time, the
stage's own step timings and whether the planted duplicates were found.
The target in issue 4: under a minute on 2 CPU cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

WORDS = """chai doodh patti karak kashmiri elaichi adrak gur samosa pakoray nankhatai rusk paratha
baarish sardi garmi nukkar gulberg model town dha lahore rooftop book club qawwali cricket
yaar bhai apa chacha rafiq billo guddu zoya shamim bilal morning evening night weekend friday
fresh slow strong creamy hot cup flask kulhar pateela spice ginger cardamom milk sugar
aur hai hain ka ki ke se mein bhi kya abhi phir sab bohat acha zaroor milte chalo
we love you our your the a and with for at in on to of is are every today tonight new
special deal menu branch order delivery rider table friends family amma abba kids students""".split()
EMOJI = ["☕", "🌧️", "🥟", "🔥", "❤️", "😄", "🎉", "🌙", "💛", "👨‍👩‍👧"]
TAGS = ["#NukkarChai", "#ChaiTime", "#LahoreEats", "#BaarishAurPakoray", "#ChaiFactFriday", "#DesiVibes", "#StreetFood"]


def unique_post(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(18, 45))
    for _ in range(rng.randint(1, 3)):
        words.insert(rng.randrange(len(words)), rng.choice([
            f"Rs. {rng.randint(5, 300) * 10}", f"PKR {rng.randint(1, 5)},{rng.randint(0, 999):03d}", f"{rng.randint(2016, 2026)}",
            f"{rng.choice([5, 10, 15, 20, 25])}%", f"{rng.choice([250, 350, 500])}ml", f"{rng.randint(2, 60)} cups",
        ]))
    text = " ".join(words).capitalize() + rng.choice(["!", ".", "?", "! " + rng.choice(EMOJI)])
    return text + " " + " ".join(rng.sample(TAGS, rng.randint(0, 3)))


def variant(text: str, rng: random.Random) -> str:
    kind = rng.randrange(3)
    if kind == 0:
        return text + " " + " ".join(rng.sample(TAGS, 2))
    if kind == 1:
        return text.replace("!", "!!!", 1) if "!" in text else text + "!!"
    return text + "\n\nLink in bio"


def build(files: Path, n_posts: int, seed: int = 0) -> dict:
    rng = random.Random(seed)
    facebook, instagram, planted = [], [], {"exact": 0, "near": 0, "pii": 0, "collab": 0, "error": 0, "empty": 0}
    originals: list[str] = []
    for i in range(n_posts):
        roll = rng.random()
        if roll < 0.15 and originals:  # cross-post or repost of the same text
            text = rng.choice(originals)
            planted["exact"] += 1
        elif roll < 0.20 and originals:
            text = variant(rng.choice(originals), rng)
            planted["near"] += 1
        else:
            text = unique_post(rng)
            if roll < 0.22:
                text += rng.choice([" WhatsApp 0300-1234567 for orders.", " Mail orders@nukkarchai.pk today.", " Call +92 42 3578 1234."])
                planted["pii"] += 1
            originals.append(text)
        date = f"20{rng.randint(22, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00.000Z"
        if i % 2:
            owner = "nukkarchai"
            if rng.random() < 0.01:
                owner, planted["collab"] = "lahorefoodtrail", planted["collab"] + 1
            instagram.append({"id": str(3_000_000 + i), "caption": text, "ownerUsername": owner, "timestamp": date,
                              "url": f"https://www.instagram.com/p/C{i}/", "isPinned": False})
        else:
            item = {"postId": str(1_000_000 + i), "text": text, "time": date, "pageName": "nukkarchai",
                    "url": f"https://www.facebook.com/nukkarchai/posts/{i}", "user": {"profileUrl": "https://www.facebook.com/nukkarchai"}}
            if rng.random() < 0.005:
                item, planted["error"] = {"url": item["url"], "error": "Post is not available."}, planted["error"] + 1
            elif rng.random() < 0.005:
                del item["text"]
                planted["empty"] += 1
            facebook.append(item)
    for source, items in (("facebook", facebook), ("instagram", instagram)):
        (files / source).mkdir(parents=True, exist_ok=True)
        (files / source / "bench.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in items), encoding="utf-8")
    (files / "manifest.json").write_text(json.dumps({"stage": "scrape", "counts": {"posts": n_posts}}))
    return planted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write files/ and cleaned_files/ here instead of a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch)
        started = time.time()
        planted = build(root / "files", args.posts)
        print(f"built {args.posts:,} synthetic posts in {time.time() - started:.1f} s; planted {planted}", flush=True)
        command = [sys.executable, str(REPO / "02_clean.py"), "--config", "configs/demo.yaml",
                   f"paths.files_dir={root / 'files'}", f"paths.cleaned_dir={root / 'cleaned_files'}"]
        started = time.time()
        result = subprocess.run(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True)
        wall = time.time() - started
        if result.returncode:
            print(result.stderr, file=sys.stderr)
            return result.returncode
        manifest = json.loads((root / "cleaned_files" / "manifest.json").read_text())
        dropped = manifest["counts"]["dropped"]
        print(f"02_clean.py on {args.posts:,} posts: {wall:.1f} s wall on {os.cpu_count()} CPU cores (target < 60 s)")
        print(f"  step timings (s): {manifest['timings_seconds']}")
        print(f"  kept {manifest['counts']['documents_out']:,}; dropped {dropped}")
        print(f"  planted exact copies {planted['exact']:,} -> exact_duplicate {dropped.get('exact_duplicate', 0):,}; "
              f"planted variants {planted['near']:,} -> near_duplicate {dropped.get('near_duplicate', 0):,}")
        report = json.loads((root / "cleaned_files" / "report.json").read_text())
        removed = {rule: sum(v["removals"] for v in row["by_source"].values()) for rule, row in report["rules"].items()}
        print(f"  removals by rule: {removed} (planted posts with personal data: {planted['pii']:,}, each repeated by its copies)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
