"""Check demo/planted.json against the exports and the site, independently.

Recomputes every count from the two export files with simple exact-match logic
(no imports from build_exports.py) and asserts it matches planted.json; checks
each planted item is where planted.json says and is what it says; checks the
site's files and, with --serve, the local server's behaviour. Stdlib only.

    python3 demo/check_planted.py [--serve]
"""

from __future__ import annotations

import html
import itertools
import json
import re
import sys
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

DEMO = Path(__file__).resolve().parent
REPO = DEMO.parent


def load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def shingles(text: str, n: int = 5) -> set[str]:
    t = " ".join(text.lower().split())
    return {t[i : i + n] for i in range(max(1, len(t) - n + 1))}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b)


def visible_of(fragment: str) -> str:
    """An HTML fragment's text: tags out, entities decoded, spacing collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def visible(page: Path) -> str:
    return visible_of(page.read_text(encoding="utf-8").split("<main")[1])


def main(serve: bool) -> None:
    planted = load(DEMO / "planted.json")
    fb = load(REPO / planted["files"]["facebook"])
    ig = load(REPO / planted["files"]["instagram"])
    noise, counts = planted["noise"], planted["counts"]
    brand = planted["brand"]["instagram_owner"]

    # -- index the exports ---------------------------------------------------
    fb_by_id = {it["postId"]: it for it in fb if "postId" in it}
    ig_by_id: dict[str, dict] = {}
    for it in ig:
        if it["id"] in ig_by_id:
            assert ig_by_id[it["id"]] == it, "repeated Instagram id with different content"
        ig_by_id[it["id"]] = it

    def text_of(ref: dict) -> str:
        if ref["file"] == "facebook":
            return fb_by_id[ref["id"]].get("text") or ""
        return ig_by_id[ref["id"]]["caption"]

    # -- field format ------------------------------------------------------------
    for it in fb:
        if "error" in it:
            assert set(it) == {"url", "error"}, it
            continue
        moment = datetime.strptime(it["time"], "%Y-%m-%dT%H:%M:%S.000Z").replace(tzinfo=timezone.utc)
        assert int(moment.timestamp()) == it["timestamp"], it["postId"]
        assert it["postId"].isdigit() and it["url"].endswith(it["postId"])
        assert it["user"]["name"] == "Nukkar Chai Co." and it["pageName"] == "nukkarchai"
        assert 2022 <= moment.year <= 2026
    for it in ig:
        assert it["type"] in {"Image", "Video", "Sidecar"}
        assert it["url"] == f"https://www.instagram.com/p/{it['shortCode']}/"
        assert it["hashtags"] == re.findall(r"#(\w+)", it["caption"]), it["id"]
        datetime.strptime(it["timestamp"], "%Y-%m-%dT%H:%M:%S.000Z")
        assert 2022 <= int(it["timestamp"][:4]) <= 2026

    # -- recompute counts ----------------------------------------------------
    fb_errors = [it for it in fb if "error" in it]
    fb_no_text = [it for it in fb if "error" not in it and "text" not in it]
    fb_texts = [(it["postId"], it["text"]) for it in fb if (it.get("text") or "").strip()]
    ig_ids = [it["id"] for it in ig]
    collab_ids = {it["id"] for it in ig if it["ownerUsername"] != brand}
    ig_empty = [it for it in ig if not it["caption"].strip()]
    seen, ig_texts = set(), []
    for it in ig:
        if it["ownerUsername"] == brand and it["caption"].strip() and it["id"] not in seen:
            seen.add(it["id"])
            ig_texts.append((it["id"], it["caption"]))
    all_texts = [t for _, t in fb_texts] + [t for _, t in ig_texts]
    exact = {t.strip() for t in all_texts}

    got = {
        "facebook": {
            "items": len(fb),
            "error_items": len(fb_errors),
            "items_without_text": len(fb_no_text),
            "items_with_text": len(fb_texts),
        },
        "instagram": {
            "items": len(ig),
            "unique_ids": len(set(ig_ids)),
            "pinned_extra_copies": len(ig_ids) - len(set(ig_ids)),
            "collab_items": len(collab_ids),
            "empty_captions": len(ig_empty),
            "brand_unique_items_with_caption": len(ig_texts),
        },
        "brand_items_with_text": len(all_texts),
        "cross_posted_pairs": len(noise["cross_posted_duplicates"]),
        "near_duplicate_pairs": len(noise["near_duplicates"]),
        "pii_items": len({(p["file"], p["id"]) for p in noise["pii"]}),
        "pii_occurrences": len(noise["pii"]),
        "must_keep_items": len({(k["file"], k["id"]) for k in planted["must_keep"]}),
        "must_keep_values": len(planted["must_keep"]),
        "distinct_texts_exact": len(exact),
        "distinct_texts_expected": len(exact) - len(noise["near_duplicates"]),
    }
    assert got == counts, json.dumps({"recomputed": got, "planted": counts}, indent=1)

    # -- the noise is what planted.json says -------------------------------------
    assert len(fb_errors) == len(noise["errors"]) == 3
    assert {e["url"] for e in fb_errors} == {e["url"] for e in noise["errors"]}
    assert all(e["url"].endswith(e["postId"]) for e in noise["errors"])

    empties = {(e["file"], e["id"]) for e in noise["empty"]}
    assert empties == {("facebook", it["postId"]) for it in fb_no_text} | {("instagram", it["id"]) for it in ig_empty}
    assert len(empties) == 6

    assert {c["id"] for c in noise["collabs"]} == collab_ids and len(collab_ids) == 8
    assert all(ig_by_id[c["id"]]["ownerUsername"] == c["ownerUsername"] != brand for c in noise["collabs"])

    assert len(noise["pinned_repeats"]) == 2
    for p in noise["pinned_repeats"]:
        assert ig_ids.count(p["id"]) == p["occurrences"] == 3 and ig_by_id[p["id"]]["isPinned"] is True
    assert sum(1 for it in ig if it["isPinned"]) == 6

    cross_texts = set()
    for pair in noise["cross_posted_duplicates"]:
        a = fb_by_id[pair["facebook"]]["text"]
        assert a == ig_by_id[pair["instagram"]]["caption"]
        cross_texts.add(a)
    assert len(cross_texts) == 20
    # every exact duplicate text across the brand items is a planted cross-post
    dup_texts = {t for t in exact if sum(1 for x in all_texts if x.strip() == t) > 1}
    assert dup_texts == {t.strip() for t in cross_texts}, len(dup_texts)

    near_pairs = set()
    for nd in noise["near_duplicates"]:
        a, b = text_of(nd["original"]), text_of(nd["variant"])
        assert a and b and a != b
        sim = jaccard(shingles(a), shingles(b))
        if nd["edit"] == "call to action appended":  # found by containment, not by Jaccard
            assert sim < 0.8 and len(shingles(a) & shingles(b)) / len(shingles(a)) >= 0.9 and len(a) <= 80, (sim, a[:50])
        else:
            assert sim >= 0.8, (sim, a[:50])
        near_pairs.add(frozenset((a.strip(), b.strip())))
    assert len(near_pairs) == 16
    assert sum(nd["edit"] == "call to action appended" for nd in noise["near_duplicates"]) == 1

    # no accidental near-duplicates among the other distinct texts
    sets = {t: shingles(t) for t in exact}
    worst = 0.0
    for a, b in itertools.combinations(sorted(exact), 2):
        if frozenset((a, b)) in near_pairs:
            continue
        worst = max(worst, jaccard(sets[a], sets[b]))
    assert worst < 0.5, worst

    pii_values = set()
    for p in noise["pii"]:
        assert p["value"] in text_of(p), p
        pii_values.add(p["value"])
    pii_refs = {(p["file"], p["id"]) for p in noise["pii"]}
    assert len(pii_refs) == 12
    others = [t for i, t in fb_texts if ("facebook", i) not in pii_refs]
    others += [t for i, t in ig_texts if ("instagram", i) not in pii_refs]
    for t in others:
        assert not any(v in t for v in pii_values)
        assert not re.search(r"\+92|\b0\d{2,3}[- ]?\d{7}\b|[\w.]+@[\w-]+\.\w+", t), t[:60]

    for k in planted["must_keep"]:
        assert k["value"] in text_of(k), k
        assert not any(k["value"] in v for v in pii_values)
    assert counts["must_keep_items"] >= 60

    # -- the site ----------------------------------------------------------------
    site = REPO / planted["site"]["root"]
    s = planted["site"]
    for rel in s["pages"]:
        html = (site / rel).read_text(encoding="utf-8")
        assert html.startswith("<!doctype html>") and '<meta charset="utf-8">' in html
        assert s["js_only"]["sentence"] not in html
        for m in re.finditer(r'<(?:img|script|iframe|source|link)\b[^>]*?(?:src|href)="([^"]+)"', html):
            assert not re.match(r"(?:https?:)?//", m.group(1)), (rel, m.group(1))
    for name, rels in s["boilerplate_pages"].items():
        for rel in rels:
            assert s["boilerplate"][name if name != "offices" else "offices_heading"] in (site / rel).read_text(encoding="utf-8"), (
                name,
                rel,
            )
    listing = s["listing_page"]
    listing_text = visible(site / listing["page"])
    for rel in listing["holds_pages"]:  # every paragraph of each post page, word for word
        article = (site / rel).read_text(encoding="utf-8").split("<article>")[1].split('<div class="more-posts">')[0]
        for paragraph in re.findall(r"<(?:p|h1|h2)\b[^>]*>(.*?)</(?:p|h1|h2)>", article, re.S):
            assert visible_of(paragraph) in listing_text, (rel, paragraph[:60])
    for held in listing["holds_instagram"]:
        caption = ig_by_id[held["id"]]["caption"]
        assert (caption if held["whole"] else caption[:60]) in listing_text, held
    assert not all(held["whole"] for held in listing["holds_instagram"])  # a feed widget's excerpt too
    assert listing["own_sentence"] in listing_text
    assert not any(listing["own_sentence"] in visible(site / rel) for rel in s["pages"] if rel != listing["page"])
    assert not any(listing["own_sentence"] in t for t in all_texts)
    catering = (site / s["personal_data"]["page"]).read_text(encoding="utf-8")
    assert all(value in catering for value in s["personal_data"]["values"])
    assert (site / "staff" / "rota.html").is_file()
    assert not (site / s["broken_link"].lstrip("/")).exists()
    assert s["broken_link"] in (site / s["broken_link_found_on"].lstrip("/")).read_text(encoding="utf-8")
    assert f'href="{s["redirect"]["from"]}"' in (site / s["redirect"]["linked_from"].lstrip("/")).read_text(encoding="utf-8")
    redirects = load(site / "_redirects.json")
    assert redirects[s["redirect"]["from"]] == s["redirect"]["to"]
    for asset in s["assets"]:
        assert (site / asset.lstrip("/")).is_file(), asset
    assert (site / "files" / "menu-2024.pdf").read_bytes().startswith(b"%PDF-")
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "Disallow: /staff/" in robots and "Sitemap: {{BASE_URL}}/sitemap.xml" in robots
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<loc>\{\{BASE_URL\}\}([^<]*)</loc>", sitemap)) == set(s["sitemap_url_paths"])
    assert set(s["link_only_pages"]) == set(s["page_url_paths"]) - set(s["sitemap_url_paths"])

    if serve:
        check_server(site, s)

    print(json.dumps(got, indent=2))
    print(f"max character 5-gram Jaccard between unrelated texts: {worst:.2f}")
    print("planted.json matches the exports and the site.")


def check_server(site: Path, s: dict) -> None:
    from brandtone.demo.site import serve_site  # the installed package (scripts/setup.sh)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)

    def get(url: str):
        try:
            with opener.open(url, timeout=5) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    with serve_site(site) as base:
        for path in s["page_url_paths"] + ["/staff/rota.html"]:
            status, headers, _ = get(base + path)
            assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8", (path, status)
        status, headers, body = get(base + "/robots.txt")
        assert status == 200 and f"Sitemap: {base}/sitemap.xml".encode() in body
        status, _, body = get(base + "/sitemap.xml")
        assert status == 200 and b"{{BASE_URL}}" not in body and f"<loc>{base}/about.html</loc>".encode() in body
        status, headers, _ = get(base + "/old-menu")
        assert status == 301 and headers["Location"] == base + "/menu.html"
        status, headers, _ = get(base + "/loop-a")
        assert status == 301 and headers["Location"] == base + "/loop-b"
        status, headers, _ = get(base + "/blog")
        assert status == 301 and headers["Location"] == base + "/blog/"
        for missing in (s["broken_link"], "/_redirects.json", "/../README.md", "/%2e%2e/README.md", "/css/../../README.md"):
            assert get(base + missing)[0] == 404, missing
        status, headers, body = get(base + "/files/menu-2024.pdf")
        assert status == 200 and headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
        status, headers, _ = get(base + "/img/logo.svg")
        assert headers["Content-Type"].startswith("image/svg+xml")
        status, _, body = get(base + "/menu.html?utm_source=nav#deals")
        assert status == 200 and b"<title>Menu | Nukkar Chai Co.</title>" in body
    print("server checks passed")


if __name__ == "__main__":
    main(serve="--serve" in sys.argv[1:])
