"""Stage 1: the brand's own public text, raw, into files/.

Reads
  config: brand.website, brand.facebook_pages, brand.instagram_usernames, scrape.*, paths.files_dir
  APIFY_TOKEN from the environment; without it, Apify console exports in scrape.import_dir
Writes (under paths.files_dir)
  web/<slug>.html, web/<slug>.txt  rendered HTML and visible text of each saved page
  web/index.jsonl                  one row per saved page: url, final_url, status, title, fetched_at, sha256, slug, depth, links
  web/not_saved.jsonl              URLs that gave no page (404, redirect loop, too large, alias of a saved page...)
  facebook/*.jsonl, instagram/*.jsonl   raw Apify items, verbatim, one per line
  posts_index.jsonl                one row per social item: source, id, url, timestamp, owner, file, line
  manifest.json                    written last, when everything above is complete (until then a
                                   claim marked incomplete: only a folder stage 1 made is written into)
Assumes
  Chromium is installed (scrape.browser_path, or chromium on PATH); the site and api.apify.com are reachable.

Reruns are incremental: saved pages, remembered failures and finished actor runs are
skipped (a killed crawl resumes where it stopped); --refresh fetches everything again.

    python 01_scrape.py --config configs/demo.yaml brand.website=http://127.0.0.1:8765/
"""

from __future__ import annotations

import time

from brandtone import cli, ownership
from brandtone.credentials import get_secret
from brandtone.manifest import build_manifest, claim, write_manifest
from brandtone.scrape.social import (
    actor_jobs,
    apify_client,
    batch_path,
    check_token,
    import_exports,
    run_actor,
    save_batch,
    write_posts_index,
)
from brandtone.scrape.web.crawler import crawl_site
from brandtone.scrape.web.page_store import PageStore

SECTIONS = ("brand", "paths", "scrape")


def add_arguments(parser) -> None:
    parser.add_argument(
        "--refresh", action="store_true", help="fetch saved pages and rerun finished actor runs again, replacing what is saved"
    )


def main(argv=None) -> int:
    started = time.time()
    config, args, log = cli.start("scrape", __doc__, add_arguments, argv, sections=SECTIONS)
    files_dir, web_dir = config.paths.files_dir, config.paths.files_dir / "web"
    ownership.check_paths(
        reads={"scrape.import_dir": (config.scrape.import_dir, None)} if config.scrape.import_dir else {},
        writes={"paths.files_dir": (files_dir, "scrape")},
        dry_run=args.dry_run,
    )
    token = get_secret("APIFY_TOKEN")

    # 1. Plan the social posts: actor runs still to do, or exports read and checked now,
    #    so a bad file or a rejected token stops us before a long crawl (and before files/ is claimed).
    jobs, batches = [], []
    if token:
        jobs = [job for job in actor_jobs(config) if args.refresh or not batch_path(files_dir, job).exists()]
    elif config.scrape.import_dir is not None:
        batches = import_exports(config.scrape.import_dir)
    elif config.brand.facebook_pages or config.brand.instagram_usernames:
        log.warning("APIFY_TOKEN is not set and scrape.import_dir is null: no Facebook or Instagram posts this run")

    if args.dry_run:
        print_dry_run(config, args.refresh, token is not None, jobs, batches)
        return 0
    client = apify_client(config, token) if jobs else None
    if client:
        check_token(client, config)  # a rejected token stops us here, before files/ is claimed
    claim(files_dir, "scrape")  # a killed first crawl leaves a folder the rerun knows as its own

    # 2. Social posts: each actor run's or export's items saved whole, verbatim.
    for job in jobs:
        save_batch(files_dir, run_actor(client, job, config))
    for batch in batches:
        path = save_batch(files_dir, batch)
        log.info("imported %d %s items from %s into %s", len(batch.items), batch.source, batch.origin, path)

    # 3. The website, page by page (each page saved as soon as it is loaded).
    web = None
    if config.brand.website:
        web = crawl_site(config.brand.website, config.scrape, web_dir, args.refresh)
        if not web.saved_now and not web.already_saved:
            log.warning("no page of %s was saved: see the summary below", config.brand.website)

    # 4. Index of all social items, the manifest, and the summary.
    social = write_posts_index(files_dir)
    counts = {
        **(web.counts() if web else {}),
        "web_pages": len(PageStore(web_dir).rows) if web_dir.exists() else 0,
        **{f"{source}_items": social[source]["items"] for source in social},
        **{f"{source}_files": social[source]["files"] for source in social},
    }
    inputs = {"import_dir": config.scrape.import_dir} if batches else {}
    extra = {
        "posts_from": "apify" if token else ("exports" if config.scrape.import_dir else "none"),
        "web_failures": [{"url": r["url"], "reason": r["reason"]} for r in web.failed] if web else [],
    }
    write_manifest(
        files_dir,
        build_manifest(stage="scrape", config=config, sections=SECTIONS, inputs=inputs, counts=counts, started_at=started, extra=extra),
    )

    print("\n== summary (01_scrape.py)")
    if web:
        print("\n".join(web.lines()))
    for source, numbers in social.items():
        print(f"{source}: {numbers['items']} items in {numbers['files']} files under {files_dir / source}")
    written = ["manifest.json", *(["web/index.jsonl"] if web else []), "posts_index.jsonl"]
    print(f"written: {files_dir}/ ({', '.join(written)}) in {time.time() - started:.1f} s")
    return 0


def print_dry_run(config, refresh: bool, has_token: bool, jobs, batches) -> None:
    files_dir, web_dir = config.paths.files_dir, config.paths.files_dir / "web"
    reads, writes = {}, {}
    if config.brand.website:
        saved = 0 if refresh or not web_dir.exists() else len(PageStore(web_dir).rows)
        reads["website"] = (
            f"{config.brand.website} with Chromium, robots.txt and sitemaps first: up to {config.scrape.max_pages} "
            f"pages, depth {config.scrape.max_depth}; {saved} pages already saved would be skipped"
        )
        writes["web pages"] = f"{web_dir}/<slug>.html, <slug>.txt, index.jsonl, not_saved.jsonl"
    if has_token:
        for job in jobs:
            reads[f"apify {job.source}"] = f"actor {job.actor} for {job.target}, input {job.run_input}"
            writes[f"{job.source} {job.name}"] = batch_path(files_dir, job)
        if not jobs:
            reads["apify"] = "nothing: every actor run already has its file (use --refresh to run them again)"
    for batch in batches:
        reads[f"export {batch.origin}"] = f"{len(batch.items)} {batch.source} items"
        writes[f"{batch.source} {batch.name}"] = batch_path(files_dir, batch)
    writes["index and manifest"] = f"{files_dir}/posts_index.jsonl, {files_dir}/manifest.json"
    cli.print_plan(config, SECTIONS, reads, writes)


if __name__ == "__main__":
    cli.run(main)
