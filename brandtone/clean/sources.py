"""Reading stage 1's `files/` folder for stage 2: saved web pages and raw Apify items.

Nothing here cleans text. Everything that cannot be read, or that is not the
brand's own post, comes back as a `Dropped` with a reason, so the report can
count it instead of the stage crashing half-way.

Layout (the contract with 01_scrape.py):
    files/web/index.jsonl            one row per saved page: url, final_url, status, title, fetched_at, sha256, slug, depth
    files/web/<slug>.html, .txt      rendered HTML and visible text
    files/facebook/*.jsonl           raw apify/facebook-posts-scraper items, one per line
    files/instagram/*.jsonl          raw apify/instagram-scraper items, one per line
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Optional, Union
from urllib.parse import parse_qs, urlparse

from brandtone.jsonl import BadLine, iter_jsonl, read_text

SOCIAL_SOURCES = ("facebook", "instagram")
SOURCES = ("web", *SOCIAL_SOURCES)
TEXT_FIELD = {"facebook": "text", "instagram": "caption"}


@dataclass
class Dropped:
    reason: str
    source: str
    id: str
    detail: str = ""
    text: str = ""


@dataclass
class WebPage:
    id: str
    url: Optional[str]
    html: Optional[str]  # None when missing or unreadable
    visible_text: Optional[str]


@dataclass
class Post:
    id: str
    source: str
    url: Optional[str]
    date: Optional[str]
    text: str
    origin: str  # where in files/ it came from (file:line), so a document can be traced back


def safe_key(value: str) -> str:
    """A file-name-safe form of an item id or page slug."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", value).strip("._") or "item"


def read_text_file(path: Path) -> Union[str, Dropped]:
    """UTF-8 text, or a Dropped('unreadable_file') saying why (missing, binary, not UTF-8)."""
    text = read_text(path)
    return Dropped("unreadable_file", "", str(path), str(text)) if isinstance(text, BadLine) else text


def read_jsonl(path: Path, source: str) -> Iterator[Union[tuple[int, dict], Dropped]]:
    """(line number, object) per line; a Dropped for the file or for each bad line."""
    for entry in iter_jsonl(path):
        if isinstance(entry, BadLine):
            reason, item = ("unreadable_file", str(path)) if entry.line is None else ("unreadable_line", f"{path.name}:{entry.line}")
            yield Dropped(reason, source, item, str(entry))
        else:
            yield entry


# --------------------------------------------------------------------------- web


def read_web_pages(web_dir: Path) -> Iterator[Union[WebPage, Dropped]]:
    """Pages listed in web/index.jsonl with their HTML and visible text; a Dropped when neither is readable."""
    index = web_dir / "index.jsonl"
    if not index.is_file():
        return
    seen: set[str] = set()
    for entry in read_jsonl(index, "web"):
        if isinstance(entry, Dropped):
            yield entry
            continue
        number, row = entry
        slug = row.get("slug")
        if not isinstance(slug, str) or not slug:
            yield Dropped("unreadable_line", "web", f"index.jsonl:{number}", f"{index}:{number}: no slug")
            continue
        page_id = f"web/{safe_key(slug)}"
        if page_id in seen:
            yield Dropped("repeated_item", "web", page_id, f"slug {slug} listed twice in {index}")
            continue
        seen.add(page_id)
        status = row.get("status")
        if isinstance(status, int) and not 200 <= status < 300:
            yield Dropped("http_error", "web", page_id, f"status {status} for {row.get('url')}")
            continue
        html, visible = read_text_file(web_dir / f"{slug}.html"), read_text_file(web_dir / f"{slug}.txt")
        if isinstance(html, Dropped) and isinstance(visible, Dropped):
            yield Dropped("unreadable_file", "web", page_id, f"{html.detail}; {visible.detail}")
            continue
        yield WebPage(
            id=page_id,
            url=row.get("final_url") or row.get("url"),
            html=None if isinstance(html, Dropped) else html,
            visible_text=None if isinstance(visible, Dropped) else visible,
        )


# --------------------------------------------------------------------------- social


def _handles_of_url(url: str) -> set[str]:
    """Ways a Facebook page URL can name its page: path segments and a profile.php id."""
    parsed = urlparse(url if "//" in url else f"https://{url}")
    handles = {part.casefold() for part in parsed.path.split("/") if part and part not in ("pages", "profile.php")}
    handles.update(value.casefold() for value in parse_qs(parsed.query).get("id", []))
    return handles


def brand_handles(source: str, facebook_pages: list[str], instagram_usernames: list[str]) -> set[str]:
    if source == "facebook":
        return set().union(*(_handles_of_url(url) for url in facebook_pages)) if facebook_pages else set()
    return {name.strip().lstrip("@").casefold() for name in instagram_usernames if name.strip()}


def item_owner(item: dict, source: str) -> set[str]:
    """Names the item gives its owner (empty when it gives none)."""
    if source == "instagram":
        owner = item.get("ownerUsername")
        return {owner.casefold()} if isinstance(owner, str) and owner else set()
    names = set()
    user = item.get("user")
    if isinstance(user, dict) and isinstance(user.get("profileUrl"), str):
        names |= _handles_of_url(user["profileUrl"])
    if isinstance(item.get("pageName"), str) and item["pageName"]:
        names.add(item["pageName"].casefold())
    return names


def item_id(item: dict, source: str) -> Optional[str]:
    """The item's own id; for items that carry only a URL (error items), the URL's last path segment."""
    keys = ("postId", "id") if source == "facebook" else ("id", "shortCode")
    for key in keys:
        value = item.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
            return str(value)
    url = item.get("url")
    if isinstance(url, str) and url:
        segments = [part for part in urlparse(url).path.split("/") if part]
        return segments[-1] if segments else url
    return None


def normalise_date(value: Any) -> Optional[str]:
    """ISO 8601 in UTC ('2024-05-01T10:20:30Z') from an ISO string or epoch seconds; None when absent."""
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            moment = datetime.fromtimestamp(value, tz=timezone.utc)
        elif isinstance(value, str) and value.strip():
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
        else:
            return None
    except (ValueError, OverflowError, OSError):
        return None
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_posts(files_dir: Path, source: str, handles: set[str], keep_collab_posts: bool) -> Iterator[Union[Post, Dropped]]:
    """The brand's posts of one source, in file order; everything else as a Dropped with its reason."""
    folder = files_dir / source
    seen: set[str] = set()
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        for entry in read_jsonl(path, source):
            if isinstance(entry, Dropped):
                yield entry
                continue
            number, item = entry
            origin = f"{source}/{path.name}:{number}"
            raw_id = item_id(item, source) or origin
            post_id = f"{source}/{safe_key(raw_id)}"
            if "error" in item:
                yield Dropped("error_item", source, post_id, str(item.get("errorDescription") or item["error"])[:160])
                continue
            if post_id in seen:
                detail = "pinned post repeated" if item.get("isPinned") else "same item id seen earlier"
                yield Dropped("repeated_item", source, post_id, f"{detail} ({origin})")
                continue
            seen.add(post_id)
            owners = item_owner(item, source)
            if handles and owners and not owners & handles and not keep_collab_posts:
                yield Dropped("collab_post", source, post_id, f"owned by {sorted(owners)[0]}")
                continue
            text = item.get(TEXT_FIELD[source])
            if not isinstance(text, str) or not text.strip():
                yield Dropped("empty_text", source, post_id, f"no {TEXT_FIELD[source]} ({origin})")
                continue
            date = normalise_date(item.get("time") or item.get("timestamp"))
            url = item.get("url") if isinstance(item.get("url"), str) else None
            yield Post(post_id, source, url, date, text, origin)
