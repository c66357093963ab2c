"""Build the control brand's social exports from its hand-written posts.

Writes, from demo/control/posts.py:

- demo/control/exports/facebook_posts.json   items as exported from the Apify console
                                             for actor apify/facebook-posts-scraper
- demo/control/exports/instagram_posts.json  items of actor apify/instagram-scraper (posts)

with the demo brand's item factories (demo/build_exports.py), so the fields are
the same as the demo's exports. No planted noise: every item is a distinct
post of the brand. Deterministic: rerunning reproduces the shipped files byte
for byte. Stdlib only.

    python3 demo/control/build_exports.py [--out FOLDER]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from datetime import timezone
from pathlib import Path
from types import ModuleType

CONTROL = Path(__file__).resolve().parent


def load_module(name: str, path: Path) -> ModuleType:
    """Import a file under its own name: demo/build_exports.py imports the demo's
    `posts` package, which would shadow this folder's posts.py."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


demo_exports = load_module("demo_build_exports", CONTROL.parent / "build_exports.py")
posts = load_module("control_posts", CONTROL / "posts.py")

BRISDALE = demo_exports.Account(
    username="brisdalemutual",
    full_name="Brisdale Mutual Bank",
    facebook_page_id="100071552904318",
    instagram_owner_id="51864370092",
    timezone=timezone.utc,  # Greenwich time all year: summer time does not matter for made-up posting hours
)


def build() -> tuple[list[dict], list[dict]]:
    """Both exports, newest first, as the actors return them."""
    tz = BRISDALE.timezone
    facebook = [
        demo_exports.make_fb_item(demo_exports.post_time(date, text, tz=tz), text, account=BRISDALE) for date, text in posts.FACEBOOK
    ]
    instagram = [
        demo_exports.make_ig_item(demo_exports.post_time(date, caption, tz=tz), type_, caption, account=BRISDALE)
        for date, type_, caption in posts.INSTAGRAM
    ]
    facebook.sort(key=lambda item: item["timestamp"], reverse=True)
    instagram.sort(key=lambda item: item["timestamp"], reverse=True)
    return facebook, instagram


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=CONTROL / "exports", help="folder for the two exports")
    args = parser.parse_args()

    texts = [text for _, text in posts.FACEBOOK] + [caption for _, _, caption in posts.INSTAGRAM]
    assert len(set(texts)) == len(texts), "a control post is written twice"
    facebook, instagram = build()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, items in (("facebook_posts.json", facebook), ("instagram_posts.json", instagram)):
        (args.out / name).write_text(json.dumps(items, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(facebook)} Facebook posts, {len(instagram)} Instagram posts -> {args.out}")


if __name__ == "__main__":
    main()
