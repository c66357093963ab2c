"""Benchmark: stage 2 (02_clean.py) on 100,000 synthetic social posts; prints the time.

    .venv/bin/python bench/clean_scale.py [--posts 100000] [--listing-pages 0] [--keep DIR]

Writes a stage-1 style files/ folder of synthetic Facebook and Instagram items
(unique posts in the demo brand's mix of English, Roman Urdu, emoji, hashtags,
prices and years; plus planted cross-posts, reposts with extra hashtags or
"!!", posts with phone numbers and emails, collabs, errors and empties), runs
02_clean.py on it exactly as a user would, and prints the wall time, the
stage's own step timings and whether the planted duplicates were found.
The target in issue 4: under a minute on 2 CPU cores.

`--listing-pages N` (the listing-heavy variant, issue 28) adds N web pages that
each print 30 of the posts under an introduction of their own, as a site's
embedded feed or "latest posts" page does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
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
        words.insert(
            rng.randrange(len(words)),
            rng.choice(
                [
                    f"Rs. {rng.randint(5, 300) * 10}",
                    f"PKR {rng.randint(1, 5)},{rng.randint(0, 999):03d}",
                    f"{rng.randint(2016, 2026)}",
                    f"{rng.choice([5, 10, 15, 20, 25])}%",
                    f"{rng.choice([250, 350, 500])}ml",
                    f"{rng.randint(2, 60)} cups",
                ]
            ),
        )
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
    """Write files/ with n_posts items; return what was planted."""
    rng = random.Random(seed)
    items = {"facebook": [], "instagram": []}
    planted = {"copies": 0, "variants": 0, "pii": 0, "collab": 0, "error": 0, "empty": 0}
    originals: list[str] = []
    for i in range(n_posts):
        roll = rng.random()
        source = "facebook" if i % 2 else "instagram"
        owner, text = "nukkarchai", None
        if roll < 0.005:
            source, kind = "facebook", "error"
        elif roll < 0.010:
            kind = "empty"
        elif roll < 0.015:
            source, kind, owner, text = "instagram", "collab", "lahorefoodtrail", unique_post(rng)
        elif roll < 0.165 and originals:
            kind, text = "copies", rng.choice(originals)  # cross-post or repost, same text
        elif roll < 0.215 and originals:
            kind, text = "variants", variant(rng.choice(originals), rng)  # repost with small edits
        else:
            kind, text = None, unique_post(rng)
            if roll > 0.98:
                text += rng.choice([" WhatsApp 0300-1234567 for orders.", " Mail orders@nukkarchai.pk today.", " Call +92 42 3578 1234."])
                kind = "pii"
            originals.append(text)
        if kind:
            planted[kind] += 1
        date = f"20{rng.randint(22, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00.000Z"
        if kind == "error":
            items["facebook"].append({"url": f"https://www.facebook.com/nukkarchai/posts/{i}", "error": "Post is not available."})
        elif source == "facebook":
            items["facebook"].append(
                {
                    "postId": str(i),
                    "text": text or "",
                    "time": date,
                    "pageName": owner,
                    "url": f"https://www.facebook.com/nukkarchai/posts/{i}",
                    "user": {"profileUrl": f"https://www.facebook.com/{owner}"},
                }
            )
        else:
            items["instagram"].append(
                {
                    "id": str(i),
                    "caption": text or "",
                    "ownerUsername": owner,
                    "timestamp": date,
                    "url": f"https://www.instagram.com/p/C{i}/",
                    "isPinned": False,
                }
            )
    for source, rows in items.items():
        (files / source).mkdir(parents=True, exist_ok=True)
        (files / source / "bench.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rows), encoding="utf-8")
    (files / "manifest.json").write_text(json.dumps({"stage": "scrape", "counts": {"posts": n_posts}}))
    return planted


PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head><body>
<header><nav><a href="/">Home</a> <a href="/menu.html">Menu</a> <a href="/feed/">Latest posts</a></nav></header>
<main><article><h1>{title}</h1>
<p>{intro}</p>
{posts}
</article></main>
<footer><p>Nukkar Chai Co. · 14-C Main Market, Gulberg II, Lahore</p></footer></body></html>"""
POSTS_PER_PAGE = 30


def build_listing_pages(files: Path, count: int, seed: int = 1) -> int:
    """Write `count` web pages, each printing POSTS_PER_PAGE of the synthetic posts under an
    introduction of its own; return how many were written."""
    import html

    posts = [json.loads(line)["caption"] for line in (files / "instagram" / "bench.jsonl").read_text(encoding="utf-8").splitlines()]
    posts = [text for text in posts if text]
    rng = random.Random(seed)
    web = files / "web"
    web.mkdir(parents=True, exist_ok=True)
    rows = []
    for number in range(count):
        intro = unique_post(rng) + " " + unique_post(rng)  # the page's own text
        body = "\n".join(f"<p>{html.escape(text)}</p>" for text in rng.sample(posts, POSTS_PER_PAGE))
        page = PAGE.format(title=f"Latest posts, page {number + 1}", intro=html.escape(intro), posts=body)
        slug = f"feed__{number}"
        (web / f"{slug}.html").write_text(page, encoding="utf-8")
        (web / f"{slug}.txt").write_text(re.sub(r"<[^>]+>", "", page), encoding="utf-8")
        url = f"http://127.0.0.1:8765/feed/{number}.html"
        rows.append(
            {
                "url": url,
                "final_url": url,
                "status": 200,
                "title": slug,
                "fetched_at": "2026-12-07T10:00:00Z",
                "sha256": hashlib.sha256(page.encode()).hexdigest(),
                "slug": slug,
                "depth": 1,
            }
        )
    (web / "index.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--listing-pages", type=int, default=0, help="web pages that each print 30 of the posts (listing-heavy variant)")
    parser.add_argument("--keep", type=Path, help="write files/ and cleaned_files/ here instead of a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch)
        started = time.time()
        planted = build(root / "files", args.posts)
        planted["listing_pages"] = build_listing_pages(root / "files", args.listing_pages)
        print(f"built {args.posts:,} synthetic posts in {time.time() - started:.1f} s; planted {planted}", flush=True)
        command = [
            sys.executable,
            str(REPO / "02_clean.py"),
            "--config",
            "configs/demo.yaml",
            f"paths.files_dir={root / 'files'}",
            f"paths.cleaned_dir={root / 'cleaned_files'}",
        ]
        load_before = os.getloadavg()[0]
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.time()
        result = subprocess.run(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True)
        wall = time.time() - started
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if result.returncode:
            print(result.stderr, file=sys.stderr)
            return result.returncode
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
        manifest = json.loads((root / "cleaned_files" / "manifest.json").read_text())
        dropped = manifest["counts"]["dropped"]
        print(
            f"02_clean.py on {args.posts:,} posts and {args.listing_pages:,} listing pages: {wall:.1f} s wall, {cpu:.1f} s CPU (all processes), "
            f"{os.cpu_count()} CPU cores, load average {load_before:.1f} before / {os.getloadavg()[0]:.1f} after (target: wall < 60 s)"
        )
        print(f"  step timings (s): {manifest['timings_seconds']}; CPU seconds: {manifest['cpu_seconds']}")
        print(f"  kept {manifest['counts']['documents_out']:,}; dropped {dropped}")
        found = dropped.get("exact_duplicate", 0) + dropped.get("near_duplicate", 0)
        planted_dups = planted["copies"] + planted["variants"]
        print(
            f"  duplicates: planted {planted['copies']:,} exact copies + {planted['variants']:,} edited reposts = {planted_dups:,}; "
            f"found {dropped.get('exact_duplicate', 0):,} exact + {dropped.get('near_duplicate', 0):,} near = {found:,}"
        )
        report = json.loads((root / "cleaned_files" / "report.json").read_text())
        removed = {rule: sum(v["removals"] for v in row["by_source"].values()) for rule, row in report["rules"].items()}
        print(f"  removals by rule: {removed} (original posts with personal data planted: {planted['pii']:,}, plus their copies)")
        if args.listing_pages:
            reduced = report["rules"].get("listing_page_reduced", {}).get("by_source", {}).get("web", {}).get("documents", 0)
            print(
                f"  listing pages: planted {args.listing_pages:,}; reduced to their own text {reduced:,}, dropped {dropped.get('listing_page', 0):,}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
