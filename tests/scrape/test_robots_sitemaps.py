"""Stage 1, robots.txt (RFC 9309) and sitemaps: a real crawl with Chromium against a local site
whose rules need wildcards, longest-match, merged groups and agent tokens, and whose sitemaps
carry extension entries, plain text and a gzip bomb; the server counts requests per path."""

from __future__ import annotations

import gzip
import json
import zlib
from types import SimpleNamespace

import pytest

from brandtone.scrape.web.sitemaps import SitemapUnreadable, gunzip_capped, read_sitemap
from tests.helpers.site import Response, crawl, page, serve_pages, text

SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
IMAGE_NS = 'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"'
VIDEO_NS = 'xmlns:video="http://www.google.com/schemas/sitemap-video/1.1"'
USER_AGENT = "BrandToneBot/0.1 (test crawler)"

# Two groups for "*" (merged), one for "tone" and one for "crawler": neither names our agent,
# whose product token is "BrandToneBot" ("tone" is inside it, "crawler" is in its comment).
ROBOTS = """\
User-agent: *
Disallow: /shop/
Allow: /shop/public/
Disallow: /*?sort=

User-agent: tone
Disallow: /

User-agent: crawler
Disallow: /

User-agent: *
Disallow: /*.cgi$
Disallow: /drafts/

Sitemap: {base}/sitemap-index.xml
"""
DISALLOWED = ["/shop/cart.html", "/list.html?sort=price", "/legacy/form.cgi", "/drafts/new.html"]
ALLOWED = ["/shop/public/catalogue.html", "/list.html?page=2", "/legacy/form.cgi?step=2", "/about.html"]
FROM_SITEMAPS = ["/from-xml-sitemap.html", "/from-text-sitemap.html", "/also-from-text.html"]
NOT_PAGES = ["/media/photo-7", "/media/clip-3"]  # an <image:loc> and a <video:content_loc>
SORT_NOT_FIRST = "/list.html?sort=size&page=3"  # disallowed as written; its canonical spelling puts page= first


def xml(body: str) -> Response:
    return Response(200, "application/xml; charset=utf-8", f'<?xml version="1.0" encoding="UTF-8"?>{body}'.encode())


def gzip_bomb(decompressed_bytes: int) -> bytes:
    """A valid gzip stream of a sitemap that would expand to `decompressed_bytes` (spaces after the root tag)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunks = [compressor.compress(f"<urlset {SITEMAP_NS}>".encode())]
    block = b" " * 1_000_000
    chunks += [compressor.compress(block) for _ in range(decompressed_bytes // len(block))]
    return b"".join(chunks) + compressor.flush()


def rules_site_pages() -> dict[str, Response]:
    links = "".join(f'<a href="{path}">{path}</a> ' for path in DISALLOWED + ALLOWED + [SORT_NOT_FIRST])
    pages = {path: page(path, f"<p>This is {path}.</p>") for path in DISALLOWED + ALLOWED + FROM_SITEMAPS + NOT_PAGES}
    return {
        **pages,
        "/": page("Home", links),
        "/robots.txt": text(ROBOTS),
        "/sitemap-index.xml": xml(
            f"<sitemapindex {SITEMAP_NS}>"
            + "".join(
                f"<sitemap><loc>{{base}}{name}</loc></sitemap>"
                for name in ("/sitemap-pages.xml", "/sitemap-more.txt", "/sitemap-bomb.xml.gz")
            )
            + "</sitemapindex>"
        ),
        "/sitemap-pages.xml": xml(
            f"<urlset {SITEMAP_NS} {IMAGE_NS} {VIDEO_NS}><url><loc>{{base}}/from-xml-sitemap.html</loc>"
            "<image:image><image:loc>{base}/media/photo-7</image:loc></image:image>"
            "<video:video><video:content_loc>{base}/media/clip-3</video:content_loc></video:video></url></urlset>"
        ),
        "/sitemap-more.txt": text("{base}/from-text-sitemap.html\n\n{base}/also-from-text.html\n"),
        "/sitemap-bomb.xml.gz": Response(200, "application/gzip", gzip_bomb(60_000_000)),
    }


@pytest.fixture(scope="module")
def rules_crawl(tmp_path_factory):
    files = tmp_path_factory.mktemp("rules-crawl") / "files"
    with serve_pages(rules_site_pages()) as site:
        result = crawl(site.base, files, f"scrape.user_agent={USER_AGENT}")
    index = [json.loads(line) for line in (files / "web" / "index.jsonl").read_text().splitlines()]
    return SimpleNamespace(
        result=result, requests=site.requests, base=site.base, saved={row["url"].removeprefix(site.base) for row in index}
    )


def test_robots_rules_are_read_as_rfc_9309_says(rules_crawl):
    r = rules_crawl
    assert r.result.returncode == 0, r.result.stderr
    assert {path: r.requests[path] for path in DISALLOWED} == dict.fromkeys(DISALLOWED, 0)
    assert {path: r.requests[path] for path in ALLOWED} == dict.fromkeys(ALLOWED, 1)
    assert [path for path, count in r.requests.items() if "sort=" in path and count] == []  # in any spelling
    assert r.saved == {"/", *ALLOWED, *FROM_SITEMAPS}
    skipped = r.result.stdout.split("skipped by robots:")[1].splitlines()[0]
    assert skipped.startswith(f"  {len(DISALLOWED) + 1} (") and all(r.base + path in skipped for path in DISALLOWED)


def test_sitemaps_give_only_page_entries_plain_text_included(rules_crawl):
    r = rules_crawl
    assert all(r.requests[path] == 1 for path in FROM_SITEMAPS)
    assert all(r.requests[path] == 0 for path in NOT_PAGES)
    assert "sitemap URLs:       3" in r.result.stdout


def test_gzip_bomb_sitemap_stops_at_the_cap_with_a_reason(rules_crawl):
    r = rules_crawl
    assert r.requests["/sitemap-bomb.xml.gz"] == 1
    warnings = [line for line in r.result.stderr.splitlines() if "WARNING" in line and "sitemap-bomb" in line]
    assert len(warnings) == 1 and "decompresses to more than 50000000 bytes" in warnings[0], r.result.stderr


# --------------------------------------------------------------------------- sitemap files (no server)


def test_sitemap_without_namespace_and_sitemap_index_are_read():
    assert read_sitemap(b"<urlset><url><loc> http://x.test/a </loc></url></urlset>", "s") == (False, ["http://x.test/a"])
    index = f"<sitemapindex {SITEMAP_NS}><sitemap><loc>http://x.test/s2.xml</loc></sitemap></sitemapindex>"
    assert read_sitemap(index.encode(), "s") == (True, ["http://x.test/s2.xml"])
    assert read_sitemap(gzip.compress(b"\xef\xbb\xbfhttp://x.test/b\r\nhttp://x.test/c\r\n"), "s") == (
        False,
        ["http://x.test/b", "http://x.test/c"],
    )


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"<rss><channel><item><link>http://x.test/a</link></item></channel></rss>", "not a sitemap (its root element is <rss>"),
        (b"<urlset><url><loc>http://x.test/a</loc>", "not valid XML"),
        (b"not a sitemap at all", "neither XML nor a list of URLs"),
        (b"\x1f\x8b\x08\x00garbage", "not valid gzip"),
    ],
)
def test_unreadable_sitemaps_say_why(body, reason):
    with pytest.raises(SitemapUnreadable, match=reason.replace("(", r"\(")):
        read_sitemap(body, "s")


def test_gzip_cap_counts_decompressed_bytes():
    data = gzip.compress(b"a" * 10_001)
    assert len(data) < 100
    assert gunzip_capped(data, 10_001) == b"a" * 10_001
    with pytest.raises(SitemapUnreadable, match="decompresses to more than 10000 bytes"):
        gunzip_capped(data, 10_000)


# --------------------------------------------------------------------------- Crawl-delay


@pytest.mark.parametrize(
    "crawl_delay, overrides, delay, warning",
    [
        # an hour a page: capped at scrape.max_crawl_delay_seconds, saying what the site's delay would have cost
        (
            3600,
            [],
            5,
            "asks for Crawl-delay: 3600 s between pages (200 pages would take 8 days 8 h): waiting 5 s"
            " (scrape.max_crawl_delay_seconds) instead, so 200 pages take at least 17 min; raise it to honour the"
            " site's delay",
        ),
        (
            3600,
            ["scrape.max_crawl_delay_seconds=7200", "scrape.max_pages=30"],
            3600,
            "asks for Crawl-delay: 3600 s between pages: 30 pages (scrape.max_pages) take at least 1 day 6 h",
        ),
        (4, [], 4, "asks for Crawl-delay: 4 s between pages: 200 pages (scrape.max_pages) take at least 13 min"),
        (0.5, [], 1, None),  # shorter than scrape.delay_seconds: nothing to say
        (3600, ["scrape.respect_robots=false"], 1, None),
    ],
)
def test_crawl_delay_is_obeyed_up_to_the_cap_with_a_warning_of_its_cost(crawl_delay, overrides, delay, warning, caplog):
    from brandtone.config import load_config
    from brandtone.scrape.web.robots import read_site_policy

    robots = f"User-agent: *\nCrawl-delay: {crawl_delay}\nDisallow: /private/\n"
    with serve_pages({"/robots.txt": text(robots)}) as site:
        config = load_config("configs/demo.yaml", ["scrape.delay_seconds=1", *overrides])
        with caplog.at_level("INFO", logger="brandtone.scrape"):
            policy = read_site_policy(f"{site.base}/", config.scrape)
    assert policy.delay_seconds == delay
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == ([f"{site.base}/robots.txt {warning}"] if warning else [])
