"""Build a stage-1 `files/` folder by hand, in the layout 01_scrape.py writes (see README),
so stages 2 and 3 can be tested on their own: saved pages, raw Apify items as JSONL, a manifest.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Iterable, Optional

import lxml.html


def visible_text(html: str) -> str:
    """What a browser's innerText roughly gives: the text of <body>, one line per block, no scripts."""
    root = lxml.html.fromstring(html)
    for node in root.xpath("//script|//style|//noscript|//head"):
        node.drop_tree()
    for node in root.iter():
        node.text = re.sub(r"\s+", " ", node.text) if node.text else node.text
        node.tail = re.sub(r"\s+", " ", node.tail) if node.tail else node.tail
    for block in root.xpath("//p|//div|//li|//h1|//h2|//h3|//h4|//tr|//br|//header|//footer|//nav|//section|//article"):
        block.tail = "\n" + (block.tail or "")
    return "\n".join(line.strip() for line in root.text_content().splitlines() if line.strip()) + "\n"


def write_manifest(files_dir: Path) -> None:
    files_dir.mkdir(parents=True, exist_ok=True)
    (files_dir / "manifest.json").write_text(json.dumps({"stage": "scrape", "script": "01_scrape.py", "counts": {}}))


def write_pages(files_dir: Path, pages: dict[str, str], base_url: str = "http://127.0.0.1:8765/") -> None:
    """pages: slug -> HTML. Writes web/<slug>.html, web/<slug>.txt and web/index.jsonl."""
    web = files_dir / "web"
    web.mkdir(parents=True, exist_ok=True)
    rows = []
    for depth, (slug, html) in enumerate(pages.items()):
        (web / f"{slug}.html").write_text(html, encoding="utf-8")
        (web / f"{slug}.txt").write_text(visible_text(html), encoding="utf-8")
        url = base_url + slug.replace("__", "/") + ".html"
        rows.append(
            {
                "url": url,
                "final_url": url,
                "status": 200,
                "title": slug,
                "fetched_at": "2026-11-25T10:00:00Z",
                "sha256": hashlib.sha256(html.encode()).hexdigest(),
                "slug": slug,
                "depth": min(depth, 1),
            }
        )
    (web / "index.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def write_items(files_dir: Path, source: str, items: Iterable[dict], name: str = "run1.jsonl") -> Path:
    folder = files_dir / source
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
    return path


def export_to_jsonl(export: Path, files_dir: Path, source: str) -> Path:
    """An Apify console export (a JSON array) as stage 1 saves it: one item per line."""
    return write_items(files_dir, source, json.loads(export.read_text(encoding="utf-8")), f"{export.stem}.jsonl")


def demo_files(demo_dir: Path, files_dir: Path, planted: Optional[dict] = None) -> dict:
    """The demo brand's saved site pages and exported posts as a stage-1 `files/` folder."""
    planted = planted or json.loads((demo_dir / "planted.json").read_text(encoding="utf-8"))
    write_manifest(files_dir)
    site = demo_dir / "site"
    write_pages(
        files_dir,
        {page.removesuffix(".html").replace("/", "__"): (site / page).read_text(encoding="utf-8") for page in planted["site"]["pages"]},
    )
    for source, export in planted["files"].items():
        export_to_jsonl(demo_dir.parent / export, files_dir, source)
    return planted


def facebook_item(post_id: str, text: Optional[str], page: str = "nukkarchai", time: str = "2024-01-01T10:00:00.000Z", **extra) -> dict:
    item = {
        "facebookUrl": f"https://www.facebook.com/{page}",
        "postId": post_id,
        "pageName": page,
        "url": f"https://www.facebook.com/{page}/posts/{post_id}",
        "time": time,
        "user": {"id": "1", "name": page, "profileUrl": f"https://www.facebook.com/{page}"},
        **extra,
    }
    if text is not None:
        item["text"] = text
    return item


def instagram_item(
    item_id: str, caption: Optional[str], owner: str = "nukkarchai", timestamp: str = "2024-01-02T10:00:00.000Z", **extra
) -> dict:
    return {
        "inputUrl": "https://www.instagram.com/nukkarchai/",
        "id": item_id,
        "type": "Image",
        "shortCode": f"C{item_id}",
        "caption": caption,
        "url": f"https://www.instagram.com/p/C{item_id}/",
        "timestamp": timestamp,
        "ownerUsername": owner,
        "isPinned": False,
        **extra,
    }
