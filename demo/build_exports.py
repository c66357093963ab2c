"""Build the demo brand's social exports and their ground truth.

Writes, from the hand-written posts in demo/posts/:

- demo/exports/facebook_posts.json   items as exported from the Apify console
                                     for actor apify/facebook-posts-scraper
- demo/exports/instagram_posts.json  items of actor apify/instagram-scraper (posts)
- demo/planted.json                  every piece of planted noise, by item id,
                                     plus the site facts and exact counts

Deterministic: ids, timestamps and engagement numbers come from seeded RNGs
(string seeds, so PYTHONHASHSEED does not matter). Running it again reproduces
the shipped files byte for byte. Stdlib only.

    python3 demo/build_exports.py
"""

from __future__ import annotations

import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

DEMO = Path(__file__).resolve().parent
sys.path.insert(0, str(DEMO))

from posts import facebook, instagram, special  # noqa: E402

EXPORTS = DEMO / "exports"
PKT = timezone(timedelta(hours=5))  # Lahore


@dataclass(frozen=True)
class Account:
    """A brand's Facebook page and Instagram profile as the two actors report them.
    The item factories below take one, so demo/control/build_exports.py can reuse them."""

    username: str  # the Facebook page name and the Instagram username
    full_name: str
    facebook_page_id: str
    instagram_owner_id: str
    timezone: timezone  # posts go out during the brand's local day

    @property
    def facebook_url(self) -> str:
        return f"https://www.facebook.com/{self.username}"

    @property
    def instagram_url(self) -> str:
        return f"https://www.instagram.com/{self.username}/"

    @property
    def instagram_owner(self) -> tuple[str, str, str]:
        return (self.username, self.full_name, self.instagram_owner_id)


NUKKAR = Account("nukkarchai", "Nukkar Chai Co.", "100064738291045", "48213907765", PKT)
IG_EPOCH_MS = 1314220021721  # Instagram's id epoch
SHORTCODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

HASHTAG_RE = re.compile(r"#(\w+)")
MENTION_RE = re.compile(r"(?<![\w.@])@([A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)")

# "Must keep" values: what a cleaner must not strip or mangle.
MUST_KEEP_PATTERNS = [
    ("price", re.compile(r"(?:Rs\.?|PKR) ?\d{1,3}(?:,\d{3})*")),
    ("percent", re.compile(r"\d+(?:\.\d+)?%")),
    ("size", re.compile(r"\b\d+(?:\.\d+)? ?(?:ml|g|kg|litres?)\b")),
    ("year", re.compile(r"\b(?:19[6-9]\d|20[0-2]\d)\b")),
    (
        "count",
        re.compile(
            r"\b\d{1,3}(?:,\d{3})*\+? (?:cups|branches|samosay|people|guests|seats|kulhars|"
            r"riders|members|saplings|ammis|nankhatai|chaiwalas|customers|plates|years)\b"
        ),
    ),
]


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def rng_for(*parts: object) -> random.Random:
    return random.Random("|".join(str(p) for p in parts))


def post_time(date: str, text: str, minutes_later: int = 0, tz: timezone = PKT) -> datetime:
    """A local posting time between 08:00 and 22:59 on `date`, as UTC."""
    rng = rng_for("time", date, text)
    local = datetime.fromisoformat(date).replace(hour=rng.randint(8, 22), minute=rng.randint(0, 59), second=rng.randint(0, 59), tzinfo=tz)
    return (local + timedelta(minutes=minutes_later)).astimezone(timezone.utc)


def iso_z(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def ig_id(moment: datetime, text: str) -> str:
    rng = rng_for("igid", moment.isoformat(), text)
    ms = int(moment.timestamp() * 1000) + rng.randint(0, 999)
    return str(((ms - IG_EPOCH_MS) << 23) | (rng.randint(0, 8191) << 10) | rng.randint(0, 1023))


def shortcode(media_id: str) -> str:
    n, out = int(media_id), ""
    while n:
        n, r = divmod(n, 64)
        out = SHORTCODE_ALPHABET[r] + out
    return out


def fb_post_id(moment: datetime, text: str) -> str:
    rng = rng_for("fbid", moment.isoformat(), text)
    return "10" + "".join(str(rng.randint(0, 9)) for _ in range(14))


def engagement(rng: random.Random, year: int, scale: float) -> float:
    growth = {2022: 0.6, 2023: 0.8, 2024: 1.0, 2025: 1.25, 2026: 1.5}[year]
    return growth * scale * rng.lognormvariate(0, 0.55)


def fb_media(rng: random.Random, kind: str, page_url: str) -> list[dict]:
    def photo() -> dict:
        fbid = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(15))
        a, b = rng.randint(100000, 999999), rng.randint(100000000, 999999999)
        uri = f"https://scontent.flhe6-1.fna.fbcdn.net/v/t39.30808-6/{a}_{fbid}_{b}_n.jpg"
        return {
            "__typename": "Photo",
            "thumbnail": uri,
            "photo_image": {"uri": uri, "height": 1080, "width": 1080},
            "url": f"https://www.facebook.com/photo/?fbid={fbid}",
            "id": fbid,
        }

    if kind == "none":
        return []
    if kind == "video":
        vid = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(15))
        return [
            {
                "__typename": "Video",
                "thumbnail": f"https://scontent.flhe6-1.fna.fbcdn.net/v/t15.5256-10/{vid}_n.jpg",
                "url": f"{page_url}/videos/{vid}/",
                "id": vid,
            }
        ]
    if kind == "album":
        return [photo() for _ in range(rng.randint(2, 5))]
    return [photo()]


def ig_cdn_url(rng: random.Random) -> str:
    a, b, c = rng.randint(10**8, 10**9 - 1), rng.randint(10**16, 10**17 - 1), rng.randint(10**6, 10**7 - 1)
    return (
        f"https://scontent-lhr8-1.cdninstagram.com/v/t51.29350-15/{a}_{b}_{c}_n.jpg?stp=dst-jpg_e35&_nc_ht=scontent-lhr8-1.cdninstagram.com"
    )


# ---------------------------------------------------------------------------
# Item factories
# ---------------------------------------------------------------------------


def make_fb_item(
    moment: datetime, text: str | None, link: str | None = None, media_kind: str | None = None, account: Account = NUKKAR
) -> dict:
    seed_text = text if text is not None else f"no-text-{moment.isoformat()}"
    post_id = fb_post_id(moment, seed_text)
    rng = rng_for("fb", post_id)
    if media_kind is None:
        media_kind = "none" if link else rng.choices(["photo", "album", "video", "none"], [60, 12, 10, 18])[0]
    likes = int(engagement(rng, moment.year, 160))
    item = {
        "facebookUrl": account.facebook_url,
        "postId": post_id,
        "pageName": account.username,
        "url": f"{account.facebook_url}/posts/{post_id}",
        "time": iso_z(moment),
        "timestamp": int(moment.timestamp()),
        "user": {"id": account.facebook_page_id, "name": account.full_name, "profileUrl": account.facebook_url},
    }
    if text is not None:
        item["text"] = text
    if link:
        item["link"] = link
    item["likes"] = likes
    item["comments"] = int(likes * rng.uniform(0.03, 0.2))
    item["shares"] = int(likes * rng.uniform(0.01, 0.12))
    item["media"] = fb_media(rng, media_kind, account.facebook_url)
    return item


def make_ig_item(
    moment: datetime, type_: str, caption: str, owner: tuple[str, str, str] | None = None, pinned: bool = False, account: Account = NUKKAR
) -> dict:
    """An item of the brand's profile; `owner` (username, full name, id) for a collab owned by another account."""
    owner = owner or account.instagram_owner
    media_id = ig_id(moment, caption or f"empty-{moment.isoformat()}")
    code = shortcode(media_id)
    rng = rng_for("ig", media_id)
    likes = int(engagement(rng, moment.year, 420 if owner == account.instagram_owner else 900))
    display = ig_cdn_url(rng)
    item = {
        "inputUrl": account.instagram_url,
        "id": media_id,
        "type": type_,
        "shortCode": code,
        "caption": caption,
        "hashtags": HASHTAG_RE.findall(caption),
        "mentions": MENTION_RE.findall(caption),
        "url": f"https://www.instagram.com/p/{code}/",
        "commentsCount": int(likes * rng.uniform(0.01, 0.08)),
        "firstComment": "",
        "latestComments": [],
        "dimensionsHeight": 1350 if type_ != "Video" else 1920,
        "dimensionsWidth": 1080,
        "displayUrl": display,
        "images": [display] + [ig_cdn_url(rng) for _ in range(rng.randint(1, 4))] if type_ == "Sidecar" else [],
        "alt": None,
        "likesCount": likes,
        "timestamp": iso_z(moment),
        "childPosts": [],
        "ownerFullName": owner[1],
        "ownerUsername": owner[0],
        "ownerId": owner[2],
        "isPinned": pinned,
        "isSponsored": False,
    }
    if type_ == "Video":
        clip = rng.randint(10**15, 10**16 - 1)
        item["videoUrl"] = f"https://scontent-lhr8-1.cdninstagram.com/o1/v/t16/f2/m86/{clip}_video_dashinit.mp4"
        item["videoViewCount"] = likes * rng.randint(6, 14)
        item["productType"] = "clips"
    return item


def apply_edit(text: str, edit: tuple) -> str:
    kind = edit[0]
    if kind == "hashtags":
        return f"{text} {edit[1]}"
    if kind == "bang":
        i = text.index("!")
        return text[: i + 1] + "!!" + text[i + 1 :]
    if kind == "emoji":
        assert edit[1] in text, edit
        return text.replace(edit[1], edit[2], 1)
    if kind == "linkinbio":
        return f"{text}\n\nLink in bio"
    if kind == "cta":
        return f"{text} {edit[1]}"
    raise ValueError(edit)


EDIT_NAMES = {
    "hashtags": "two extra hashtags appended",
    "bang": "'!!' added after the first '!'",
    "emoji": "one emoji changed",
    "linkinbio": "trailing 'Link in bio' appended",
    "cta": "call to action appended",
}


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------


def build() -> tuple[list[dict], list[dict], dict]:
    fb: list[dict] = []
    ig: list[dict] = []
    truth: dict = {}

    def fb_ref(item: dict) -> dict:
        return {"file": "facebook", "id": item["postId"]}

    def ig_ref(item: dict) -> dict:
        return {"file": "instagram", "id": item["id"]}

    # Plain posts.
    for entry in facebook.POSTS:
        date, text, link = (entry + (None,))[:3]
        fb.append(make_fb_item(post_time(date, text), text, link))
    for date, type_, caption in instagram.POSTS:
        ig.append(make_ig_item(post_time(date, caption), type_, caption))

    # (a) Cross-posted exact duplicates.
    cross = []
    for date, type_, text in special.CROSS_POSTS:
        f = make_fb_item(post_time(date, text), text)
        i = make_ig_item(post_time(date, text, minutes_later=7), type_, text)
        fb.append(f)
        ig.append(i)
        cross.append({"facebook": f["postId"], "instagram": i["id"], "text": text})
    truth["cross_posted_duplicates"] = cross

    # (b) Near-duplicates.
    near = []
    for src, date, type_, text, dst, days, edit in special.NEAR_DUPS:
        variant = apply_edit(text, edit)
        assert variant != text
        t0 = post_time(date, text)
        t1 = t0 + timedelta(days=days, minutes=11 if days == 0 else 0)
        if days:
            t1 = post_time((t0.astimezone(PKT) + timedelta(days=days)).date().isoformat(), variant)
        refs = []
        for platform, moment, body in ((src, t0, text), (dst, t1, variant)):
            if platform == "facebook":
                item = make_fb_item(moment, body)
                fb.append(item)
                refs.append(fb_ref(item))
            else:
                item = make_ig_item(moment, type_, body)
                ig.append(item)
                refs.append(ig_ref(item))
        near.append({"original": refs[0], "variant": refs[1], "edit": EDIT_NAMES[edit[0]]})
    truth["near_duplicates"] = near

    # (e) Personal data.
    pii_items = []
    for date, text in special.PII_FACEBOOK:
        item = make_fb_item(post_time(date, text), text)
        fb.append(item)
        pii_items.append((fb_ref(item), text))
    for date, type_, text in special.PII_INSTAGRAM:
        item = make_ig_item(post_time(date, text), type_, text)
        ig.append(item)
        pii_items.append((ig_ref(item), text))
    pii = []
    for ref, text in pii_items:
        found = False
        for kind, values in (("phone", special.PII_PHONES), ("email", special.PII_EMAILS)):
            for value in values:
                if value in text:
                    pii.append({**ref, "kind": kind, "value": value})
                    found = True
        assert found, text
    truth["pii"] = pii

    # (d) Collabs owned by other accounts.
    collabs = []
    for date, type_, user, full_name, owner_id, caption in special.COLLABS:
        item = make_ig_item(post_time(date, caption), type_, caption, owner=(user, full_name, owner_id))
        ig.append(item)
        collabs.append({"id": item["id"], "ownerUsername": user})
    truth["collabs"] = collabs

    # (f) Empty: Facebook photo posts with no `text` key, Instagram posts with caption "".
    empty = []
    for date, media_kind in (("2022-10-08", "photo"), ("2024-06-01", "album"), ("2025-12-27", "video")):
        item = make_fb_item(post_time(date, ""), None, media_kind=media_kind)
        fb.append(item)
        empty.append(fb_ref(item))
    for date, type_ in (("2023-02-11", "Image"), ("2024-09-28", "Sidecar"), ("2026-04-03", "Video")):
        item = make_ig_item(post_time(date, ""), type_, "")
        ig.append(item)
        empty.append(ig_ref(item))
    truth["empty"] = empty

    # Newest first, as the actors return them.
    fb.sort(key=lambda it: it["timestamp"], reverse=True)
    ig.sort(key=lambda it: it["timestamp"], reverse=True)

    # (c) Pinned posts: at the top of the export, again where a second scrape
    # page started, and at their own date.
    pinned_items = []
    for date, type_, text in special.PINNED:
        item = make_ig_item(post_time(date, text), type_, text, pinned=True)
        pinned_items.append(item)
        position = next(i for i, it in enumerate(ig) if it["timestamp"] < item["timestamp"])
        ig.insert(position, item)
    for offset, item in enumerate(pinned_items):
        ig.insert(offset, json.loads(json.dumps(item)))
    middle = len(ig) // 2
    for offset, item in enumerate(pinned_items):
        ig.insert(middle + offset, json.loads(json.dumps(item)))
    truth["pinned_repeats"] = [{"id": it["id"], "occurrences": 3} for it in pinned_items]

    # (g) Failed posts: Apify error items, at fixed places in the Facebook export.
    errors = []
    for position, (date, message) in zip(
        (9, 58, 117),
        (
            ("2023-04-02", "Post is not available. It may have been removed or its privacy settings changed."),
            ("2024-11-11", "Failed to extract post data: page did not load in 60 seconds."),
            ("2022-03-02", "Post is not available. It may have been removed or its privacy settings changed."),
        ),
    ):
        post_id = fb_post_id(post_time(date, message), message)
        url = f"{NUKKAR.facebook_url}/posts/{post_id}"
        fb.insert(position, {"url": url, "error": message})
        errors.append({"url": url, "postId": post_id})
    truth["errors"] = errors

    return fb, ig, truth


# ---------------------------------------------------------------------------
# Ground truth
# ---------------------------------------------------------------------------


def brand_texts(fb: list[dict], ig: list[dict]) -> list[tuple[dict, str]]:
    """(ref, text) for every brand item with text: no errors, empties or collabs.
    Repeated pinned items are listed once."""
    out, seen = [], set()
    for item in fb:
        if "error" in item or not (item.get("text") or "").strip():
            continue
        out.append(({"file": "facebook", "id": item["postId"]}, item["text"]))
    for item in ig:
        if item["ownerUsername"] != NUKKAR.username or not item["caption"].strip() or item["id"] in seen:
            continue
        seen.add(item["id"])
        out.append(({"file": "instagram", "id": item["id"]}, item["caption"]))
    return out


def must_keep(texts: list[tuple[dict, str]], pii_values: list[str]) -> list[dict]:
    entries = []
    for ref, text in texts:
        masked = text
        for value in pii_values:  # never count digits inside a phone number
            masked = masked.replace(value, " " * len(value))
        taken: list[tuple[int, int]] = []
        seen = set()
        for kind, pattern in MUST_KEEP_PATTERNS:
            for m in pattern.finditer(masked):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue  # e.g. the "2016" inside "Rs. 2016" is not a year
                taken.append(m.span())
                if (kind, m.group()) not in seen:
                    seen.add((kind, m.group()))
                    entries.append({**ref, "kind": kind, "value": m.group()})
    return entries


def site_truth(ig: list[dict]) -> dict:
    site = DEMO / "site"
    sys.path.insert(0, str(DEMO))
    import build_site

    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith("staff/"))

    def url_path(rel: str) -> str:
        if rel == "index.html":
            return "/"
        if rel.endswith("/index.html"):
            return "/" + rel[: -len("index.html")]
        return "/" + rel

    sentence = "Qawwali Night at Model Town on the last Friday of every month"
    events_html = (site / "events.html").read_text(encoding="utf-8")
    assert sentence not in events_html
    for rel in pages:
        assert sentence not in (site / rel).read_text(encoding="utf-8")
    return {
        "root": "demo/site",
        "pages": pages,
        "page_url_paths": [url_path(p) for p in pages],
        "sitemap_url_paths": build_site.SITEMAP_PATHS,
        "link_only_pages": [url_path(p) for p in pages if url_path(p) not in build_site.SITEMAP_PATHS],
        "disallowed_prefix": "/staff/",
        "disallowed_pages": ["/staff/rota.html"],
        "broken_link": "/menu/halwa-puri.html",
        "broken_link_found_on": "/menu/snacks.html",
        "redirect": {"from": "/old-menu", "to": "/menu.html", "status": 301, "linked_from": "/faq.html"},
        "redirect_loop": ["/loop-a", "/loop-b"],
        "js_only": {
            "page": "/events.html",
            "sentence": sentence,
            "note": "inserted by an inline script after setTimeout(300 ms); the sentence is assembled "
            "from pieces, so it never appears literally in the HTML source",
        },
        "assets": ["/css/site.css", "/img/logo.svg", "/files/menu-2024.pdf"],
        "external_link_hosts": ["www.instagram.com", "www.facebook.com", "maps.example.org"],
        "boilerplate": {
            "footer_phone": "+92 42 3578 1234",
            "footer_mobile": "0300-1234567",
            "footer_email": "hello@nukkarchai.pk",
            "footer_address": "14-C Main Market, Gulberg II, Lahore 54660, Pakistan",
            "cookie_banner": "We use cookies to keep your chai warm.",
            # boilerplate on a minority of the pages (build_site.EXTRAS), inside the main text
            "offices_heading": "Our offices and kitchens",
            "offices_kitchen": "Central kitchen: 7 Kot Lakhpat Industrial Estate, Lahore",
            "rights_line": "All Rights Reserved",
            "link_text": "View Post",
            "form_label": "Event date*",
        },
        "boilerplate_pages": {
            "offices": sorted(rel for rel, extras in build_site.EXTRAS.items() if build_site.OFFICES in extras),
            "rights_line": sorted(rel for rel, extras in build_site.EXTRAS.items() if build_site.RIGHTS in extras),
            "link_text": ["blog/index.html", *sorted(f"blog/{slug}" for slug in build_site.BLOG_POSTS)],
            "form_label": ["catering.html"],
        },
        # a listing page (build_site.archive_body): other pages' and posts' text under a short text of its own
        "listing_page": {
            "page": "blog/archive.html",
            "holds_pages": build_site.ARCHIVE_POSTS,
            "holds_instagram": [
                {"id": next(it["id"] for it in ig if it["caption"] == text), "whole": shown == text}
                for text, shown in zip(
                    [next(t for d, _, t in build_site.instagram.POSTS if d == date) for date in build_site.ARCHIVE_CAPTION_DATES],
                    build_site.archive_captions(),
                )
            ],
            "own_sentence": "For readers who would rather scroll than click",
        },
        # personal data on the site in the printed forms of real brand pages (made-up numbers)
        "personal_data": {
            "page": "catering.html",
            "values": ["042-3581234-40", "111-685-527", "0321-7654321/2", "events [at] nukkarchai [dot] pk"],
        },
    }


def main() -> None:
    fb, ig, noise = build()
    texts = brand_texts(fb, ig)

    # Sanity: every written text is distinct, and no post carries stray contact data.
    written = [t for _, t in texts]
    cross_texts = {c["text"] for c in noise["cross_posted_duplicates"]}
    exact = {t.strip() for t in written}
    assert len(exact) == len(written) - len(cross_texts), "unexpected exact duplicate"
    pii_ids = {(p["file"], p["id"]) for p in noise["pii"]}
    contact_re = re.compile(r"\+92|\b0\d{2,3}[- ]?\d{7}\b|[\w.]+@[\w-]+\.\w+")
    for ref, text in texts:
        if (ref["file"], ref["id"]) not in pii_ids:
            assert not contact_re.search(text), (ref, text[:60])

    pii_values = special.PII_PHONES + special.PII_EMAILS
    keep = must_keep(texts, pii_values)
    keep_items = {(k["file"], k["id"]) for k in keep}
    assert len(keep_items) >= 60

    ig_ids = [it["id"] for it in ig]
    counts = {
        "facebook": {
            "items": len(fb),
            "error_items": len(noise["errors"]),
            "items_without_text": sum(1 for it in fb if "error" not in it and "text" not in it),
            "items_with_text": sum(1 for it in fb if (it.get("text") or "").strip()),
        },
        "instagram": {
            "items": len(ig),
            "unique_ids": len(set(ig_ids)),
            "pinned_extra_copies": len(ig_ids) - len(set(ig_ids)),
            "collab_items": len(noise["collabs"]),
            "empty_captions": sum(1 for it in ig if not it["caption"].strip()),
            "brand_unique_items_with_caption": sum(1 for r, _ in texts if r["file"] == "instagram"),
        },
        "brand_items_with_text": len(texts),
        "cross_posted_pairs": len(noise["cross_posted_duplicates"]),
        "near_duplicate_pairs": len(noise["near_duplicates"]),
        "pii_items": len(pii_ids),
        "pii_occurrences": len(noise["pii"]),
        "must_keep_items": len(keep_items),
        "must_keep_values": len(keep),
        "distinct_texts_exact": len(exact),
        "distinct_texts_expected": len(exact) - len(noise["near_duplicates"]),
    }

    for item in noise["cross_posted_duplicates"]:
        del item["text"]
    planted = {
        "about": "Ground truth for the demo brand Nukkar Chai Co. (fictional). Written by "
        "demo/build_exports.py; verified by demo/check_planted.py. Item refs are "
        '{"file": "facebook"|"instagram", "id": ...}: the Facebook id is the item\'s postId, '
        "the Instagram id is the item's id.",
        "files": {"facebook": "demo/exports/facebook_posts.json", "instagram": "demo/exports/instagram_posts.json"},
        "brand": {"facebook_page": "nukkarchai", "instagram_owner": NUKKAR.username},
        "noise": noise,
        "must_keep": keep,
        "site": site_truth(ig),
        "counts": counts,
        "count_definitions": {
            "brand_items_with_text": "Facebook items with non-empty text and no error, plus Instagram "
            "items owned by nukkarchai with a non-empty caption, pinned repeats counted once",
            "distinct_texts_exact": "distinct str.strip() texts among those",
            "distinct_texts_expected": "distinct texts once each near-duplicate pair is also collapsed "
            "to one: what a correct cleaner keeps",
        },
    }

    EXPORTS.mkdir(exist_ok=True)
    for name, data in (("facebook_posts.json", fb), ("instagram_posts.json", ig)):
        (EXPORTS / name).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (DEMO / "planted.json").write_text(json.dumps(planted, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(counts, indent=2))


if __name__ == "__main__":
    main()
