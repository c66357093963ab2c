"""Stage 1, resuming a crawl: a crawl stopped at scrape.max_pages (with a torn last index line,
as a kill -9 mid-write leaves) and then resumed visits exactly the URLs one fresh crawl visits,
because each saved page's links are kept in its index row; the index is appended, not rewritten.
Real Chromium against a local site; the server counts requests per path."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from brandtone.errors import StageError
from brandtone.scrape.web.page_store import PageStore
from tests.helpers.site import crawl as crawl_site
from tests.helpers.site import page, serve_pages, text

# Links inside <template> and <noscript> are not links of the rendered page (the browser finds
# none), but an HTML parser reading the saved DOM sees them: a resume that re-parsed saved HTML
# would visit these two pages, a fresh crawl never does.
HIDDEN_FROM_BROWSER = ["/from-template.html", "/from-noscript.html"]
SITE = {
    "/robots.txt": text("members only", status=403),  # RFC 9309: a 4xx robots.txt means no rules
    "/": page("Home", '<a href="/a.html">a</a> <a href="/b.html">b</a>'),
    "/a.html": page(
        "A",
        '<a href="/a1.html?utm_source=a">a1</a>'
        '<template><a href="/from-template.html">t</a></template>'
        '<noscript><a href="/from-noscript.html">n</a></noscript>',
    ),
    "/b.html": page(
        "B",
        '<a href="/shared.html#top">shared</a> <a href="/a1.html">a1</a>'
        "<script>document.body.insertAdjacentHTML('beforeend', "
        "'<a href=\"/from-script.html\">s</a>')</script>",
    ),
    **{path: page(path, f"<p>Leaf page {path}.</p>") for path in ["/a1.html", "/shared.html", "/from-script.html", *HIDDEN_FROM_BROWSER]},
}
FRESH_PAGES = {"/", "/a.html", "/b.html", "/a1.html", "/shared.html", "/from-script.html"}
SAVED_BEFORE_THE_STOP = {"/", "/a.html"}


def read_index(files: Path) -> list[dict]:
    return [json.loads(line) for line in (files / "web" / "index.jsonl").read_text().splitlines()]


def page_requests(requests) -> dict[str, int]:
    return {path: count for path, count in requests.items() if path.split("?")[0].endswith((".html", "/"))}


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("resume")
    r = SimpleNamespace()
    with serve_pages(SITE) as site:

        def crawl(files: Path, *overrides: str):
            site.requests.clear()
            result = crawl_site(site.base, files, "scrape.max_depth=5", *overrides)
            assert result.returncode == 0, result.stderr
            return result, page_requests(site.requests)

        r.base = site.base
        r.fresh, r.fresh_requests = crawl(tmp / "fresh", "scrape.max_pages=50")
        r.fresh_index = read_index(tmp / "fresh")

        resumed = tmp / "resumed"
        r.limited, r.limited_requests = crawl(resumed, "scrape.max_pages=2")
        r.limited_index = read_index(resumed)
        index = resumed / "web" / "index.jsonl"
        torn_row = json.dumps({**r.limited_index[0], "url": f"{site.base}/b.html", "slug": "b-torn"})
        with index.open("a") as handle:  # what a kill -9 in the middle of an append leaves
            handle.write(torn_row[: len(torn_row) // 2])
        r.inode_before_resume = index.stat().st_ino
        r.resumed, r.resumed_requests = crawl(resumed, "scrape.max_pages=50")
        r.inode_after_resume = index.stat().st_ino
        r.resumed_lines = index.read_text().splitlines()
    return r


def paths(rows: list[dict], base: str) -> set[str]:
    return {row["url"].removeprefix(base) for row in rows}


def test_fresh_crawl_follows_the_browsers_links_and_ignores_a_4xx_robots(crawls):
    r = crawls
    assert paths(r.fresh_index, r.base) == FRESH_PAGES
    assert set(r.fresh_requests) == FRESH_PAGES and set(r.fresh_requests.values()) == {1}
    assert "/robots.txt answered HTTP 403: no robots.txt rules apply" in r.fresh.stderr
    links = next(row["links"] for row in r.fresh_index if row["url"] == f"{r.base}/b.html")
    assert links == [f"{r.base}/shared.html#top", f"{r.base}/a1.html", f"{r.base}/from-script.html"]


def test_stopped_then_resumed_crawl_visits_what_a_fresh_crawl_visits(crawls):
    r = crawls
    assert paths(r.limited_index, r.base) == SAVED_BEFORE_THE_STOP
    assert not set(r.limited_requests) & set(r.resumed_requests)  # no page fetched twice
    assert {**r.limited_requests, **r.resumed_requests} == r.fresh_requests
    assert not set(HIDDEN_FROM_BROWSER) & set(r.resumed_requests)
    rows = [json.loads(line) for line in r.resumed_lines]
    assert paths(rows, r.base) == FRESH_PAGES and len(rows) == len(FRESH_PAGES)


def test_resume_drops_a_torn_last_line_and_appends_to_the_same_file(crawls):
    r = crawls
    assert "index.jsonl:3: last line incomplete (an interrupted run?); ignored" in r.resumed.stderr
    assert r.inode_after_resume == r.inode_before_resume  # appended in place, never replaced whole
    assert [json.loads(line) for line in r.resumed_lines[:2]] == r.limited_index
    assert not any("b-torn" in line for line in r.resumed_lines)


# --------------------------------------------------------------------------- the page store (no browser)


def store_row(url: str, sha: str, **extra) -> dict:
    return {"url": url, "final_url": url, "status": 200, "sha256": sha, "slug": url.rsplit("/", 1)[-1] or "index", **extra}


def test_rows_without_stored_links_take_them_from_the_saved_html(tmp_path):
    web = tmp_path / "web"
    web.mkdir()
    old, new = store_row("http://x.test/old", "1"), store_row("http://x.test/new", "2", links=["http://x.test/kept"])
    for row in (old, new):
        (web / f"{row['slug']}.html").write_text('<base href="/menu/"><a href="chai.html">c</a> <a href="/about">a</a>')
        (web / f"{row['slug']}.txt").write_text(row["sha256"])
    (web / "index.jsonl").write_text(json.dumps(old) + "\n" + json.dumps(new) + "\n")
    store = PageStore(web)
    assert store.rows_without_links() == 1
    assert store.saved_links(old["url"]) == ["http://x.test/menu/chai.html", "http://x.test/about"]
    assert store.saved_links(new["url"]) == ["http://x.test/kept"]  # stored links win over the HTML


def test_a_bad_line_before_the_last_is_an_error_naming_file_and_line(tmp_path):
    index = tmp_path / "index.jsonl"
    index.write_text(json.dumps(store_row("http://x.test/a", "1")) + "\n{not json\n" + json.dumps(store_row("http://x.test/b", "2")) + "\n")
    with pytest.raises(StageError, match=rf"{index}:2: not valid JSON .*fix or delete the file"):
        PageStore(tmp_path)


def test_a_torn_log_is_left_alone_until_a_page_is_appended(tmp_path):
    index = tmp_path / "index.jsonl"
    first = store_row("http://x.test/a", "1")
    (tmp_path / "a.html").write_text("<p>a</p>")
    (tmp_path / "a.txt").write_text("a")
    torn = json.dumps(first) + "\n" + '{"url": "http://x.test/b", "sl'
    index.write_text(torn)
    store = PageStore(tmp_path)  # a dry run or a count reads the folder like this: nothing may change
    assert list(store.rows) == [first["url"]] and index.read_text() == torn
    store.save_page(store_row("http://x.test/c", "3"), "<p>c</p>", "c")
    store.close()
    assert [json.loads(line)["url"] for line in index.read_text().splitlines()] == [first["url"], "http://x.test/c"]


def test_a_page_saved_again_supersedes_its_row_and_close_rewrites_once(tmp_path):
    index = tmp_path / "index.jsonl"
    store = PageStore(tmp_path)
    store.record_not_saved({"url": "http://x.test/b", "reason": "HTTP 503", "failure": True, "transient": True})
    store.save_page(store_row("http://x.test/a", "old"), "<p>a</p>", "a")
    store.save_page(store_row("http://x.test/b", "b"), "<p>b</p>", "b")
    store.save_page(store_row("http://x.test/a", "new"), "<p>a, new</p>", "a, new")
    assert len(index.read_text().splitlines()) == 3  # appended: one line per save
    assert store.page_with_text_hash("old", among=lambda url: True) is None
    assert store.page_with_text_hash("new", among=lambda url: True) == "http://x.test/a"
    assert store.page_with_text_hash("b", among=lambda url: "other.test" in url) is None
    store.close()
    assert [(row["url"], row["sha256"]) for row in map(json.loads, index.read_text().splitlines())] == [
        ("http://x.test/a", "new"),
        ("http://x.test/b", "b"),
    ]
    assert (tmp_path / "not_saved.jsonl").read_text() == ""  # b was saved after it failed
    assert list(PageStore(tmp_path).rows) == ["http://x.test/a", "http://x.test/b"]
