"""Stage 1, website: a polite breadth-first crawl of one site with a real Chromium.

One concern a module, in the order `crawler.crawl_site` uses them:

- `urls`: one spelling per page (`canonical_url`), what "the same site" means, file slugs.
- `plain_http`: GET with the crawler's user agent, retries and backoff (robots.txt, sitemaps).
- `robots`: `SitePolicy` from robots.txt (RFC 9309, through Protego): allowed URLs, delay, sitemaps.
- `sitemaps`: page URLs from XML, gzipped and plain-text sitemaps and sitemap indexes.
- `page_store`: `files/web/` on disk: page files, `index.jsonl` and `not_saved.jsonl`, appended per page.
- `browser`: the system Chromium in its own process group, driven through pyppeteer.
- `page_load`: one page in a fresh tab: the rendered DOM, text, title and links, or why it failed.
- `crawler`: seeds, then one page at a time; the run's summary.
"""
