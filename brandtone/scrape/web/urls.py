"""URLs of one site: one spelling per page, what counts as the same site and as a page, file slugs."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from typing import Optional
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only track the visitor; dropping them makes one page one URL.
TRACKING_PARAMS = {
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "ref_src",
    "spm",
}
TRACKING_PREFIXES = ("utm_",)

# Links to these are not pages; fetching them in a browser would download files.
NON_PAGE_EXTENSIONS = {
    ".pdf",
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".avif",
    ".svg",
    ".ico",
    ".bmp",
    ".tif",
    ".tiff",
    ".css",
    ".js",
    ".mjs",
    ".json",
    ".xml",
    ".rss",
    ".atom",
    ".txt",
    ".csv",
    ".ics",
    ".vcf",
    ".zip",
    ".gz",
    ".tgz",
    ".tar",
    ".rar",
    ".7z",
    ".bz2",
    ".xz",
    ".dmg",
    ".exe",
    ".msi",
    ".apk",
    ".deb",
    ".rpm",
    ".mp3",
    ".wav",
    ".ogg",
    ".m4a",
    ".mp4",
    ".m4v",
    ".mov",
    ".avi",
    ".mkv",
    ".webm",
    ".flv",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".odt",
    ".ods",
    ".odp",
    ".rtf",
    ".epub",
    ".woff",
    ".woff2",
    ".ttf",
    ".otf",
    ".eot",
}


def canonical_url(url: str, base: Optional[str] = None) -> Optional[str]:
    """One spelling per page: absolute, lower-case scheme and host, no default port,
    no fragment, no tracking parameters, remaining parameters sorted. None for
    anything that is not an http(s) URL (mailto:, tel:, javascript:...)."""
    url = url.strip()
    if base is not None:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != {"http": 80, "https": 443}[scheme]:
        host = f"{host}:{port}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    )
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def site_key(url: str) -> tuple[str, Optional[int]]:
    """Host (without a leading www.) and explicit port: what 'the same site' means here."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return host, None if parts.port == default else parts.port


def looks_like_page(url: str) -> bool:
    path = urlsplit(url).path.lower()
    return os.path.splitext(path)[1] not in NON_PAGE_EXTENSIONS


def page_slug(url: str) -> str:
    """A readable file name stem for a page, safe on every filesystem and unique per URL:
    ASCII letters, digits and '-' from the path and query, then 8 hex digits of the URL's hash."""
    parts = urlsplit(url)
    path = re.sub(r"\.(html?|php|aspx?|jsp)$", "", unquote(parts.path), flags=re.IGNORECASE)
    readable = unicodedata.normalize("NFKD", f"{path} {unquote(parts.query)}").encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", readable.lower()).strip("-")[:60].rstrip("-") or "index"
    return f"{words}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:8]}"
