"""Page URLs from a site's sitemaps, as the sitemap protocol (sitemaps.org) defines them.

- XML: each `<url><loc>` of a `<urlset>` is a page, each `<sitemap><loc>` of a `<sitemapindex>`
  another sitemap. Only elements of the sitemap namespace count (or of none: hand-written
  sitemaps often omit it), so extension entries such as `<image:loc>` and `<video:loc>` are
  not taken for pages.
- Plain text: one URL a line.
- Gzipped (either of the above): decompressed up to SITEMAP_MAX_BYTES, the protocol's own limit
  for an uncompressed sitemap, so a small .xml.gz cannot expand without bound.
"""

from __future__ import annotations

import gzip
import io
import logging
import xml.etree.ElementTree as ElementTree
import zlib
from collections import deque
from urllib.parse import urlsplit

from brandtone.scrape.web.plain_http import http_get
from brandtone.scrape.web.robots import SitePolicy
from brandtone.scrape.web.urls import canonical_url

log = logging.getLogger("brandtone.scrape")

SITEMAP_MAX_BYTES = 50_000_000  # per file, compressed or not: the sitemap protocol's limit
SITEMAP_MAX_FILES = 100
SITEMAP_NAMESPACES = ("{http://www.sitemaps.org/schemas/sitemap/0.9}", "")


class SitemapUnreadable(Exception):
    """A sitemap file that gives no URLs; the message says why."""


def sitemap_page_urls(policy: SitePolicy) -> list[str]:
    """Page URLs listed in the site's sitemaps, following sitemap index files (breadth-first).

    Sitemaps named in robots.txt are used, else the usual /sitemap.xml (whose absence is normal)."""
    parts = urlsplit(policy.start_url)
    guessed = not policy.sitemaps
    pending = deque(policy.sitemaps or [f"{parts.scheme}://{parts.netloc}/sitemap.xml"])
    seen_sitemaps, pages = set(), []
    while pending and len(seen_sitemaps) < SITEMAP_MAX_FILES:
        url = pending.popleft()
        if url in seen_sitemaps:
            continue
        seen_sitemaps.add(url)
        if not policy.on_site(url):
            log.warning("sitemap %s is on another site: not fetched", url)
            continue
        result = http_get(url, policy.settings, max_bytes=SITEMAP_MAX_BYTES)
        if result.error or not result.body:
            quiet = guessed and result.status == 404
            log.log(logging.DEBUG if quiet else logging.WARNING, "sitemap %s: %s; ignored", url, result.error or "empty")
            continue
        try:
            is_index, locations = read_sitemap(result.body, url)
        except SitemapUnreadable as exc:
            log.warning("sitemap %s: %s; ignored", url, exc)
            continue
        (pending if is_index else pages).extend(locations)
    return pages


def read_sitemap(body: bytes, source: str) -> tuple[bool, list[str]]:
    """(is it a sitemap index, the URLs it lists) for one sitemap file's bytes; `source` names it in logs."""
    if body[:2] == b"\x1f\x8b":
        body = gunzip_capped(body, SITEMAP_MAX_BYTES)
    if body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        return read_xml_sitemap(body)
    return False, read_text_sitemap(body, source)


def gunzip_capped(body: bytes, limit: int) -> bytes:
    """Decompress gzip data, reading at most `limit` + 1 decompressed bytes (so memory stays bounded)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            data = stream.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise SitemapUnreadable(f"not valid gzip ({exc})") from None
    if len(data) > limit:
        raise SitemapUnreadable(f"decompresses to more than {limit} bytes (the sitemap protocol's limit)")
    return data


def read_xml_sitemap(body: bytes) -> tuple[bool, list[str]]:
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as exc:
        raise SitemapUnreadable(f"not valid XML ({exc})") from None
    for namespace in SITEMAP_NAMESPACES:
        for root_name, entry_name, is_index in (("urlset", "url", False), ("sitemapindex", "sitemap", True)):
            if root.tag == namespace + root_name:
                return is_index, [
                    loc.text.strip()
                    for entry in root.iterfind(namespace + entry_name)
                    for loc in entry.iterfind(namespace + "loc")
                    if loc.text and loc.text.strip()
                ]
    raise SitemapUnreadable(f"not a sitemap (its root element is <{root.tag}>, not <urlset> or <sitemapindex>)")


def read_text_sitemap(body: bytes, source: str) -> list[str]:
    lines = [line.strip() for line in body.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines()]
    urls = [line for line in lines if line and _is_http_url(line)]
    others = sum(1 for line in lines if line and not _is_http_url(line))
    if not urls:
        raise SitemapUnreadable("neither XML nor a list of URLs")
    if others:
        log.warning("sitemap %s: %d lines are not http(s) URLs; ignored", source, others)
    return urls


def _is_http_url(line: str) -> bool:
    return " " not in line and canonical_url(line) is not None
