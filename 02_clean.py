"""Stage 2: clean the brand's raw pages and posts into de-duplicated documents.

Reads   files/ (stage 1): web/index.jsonl + <slug>.html/.txt, facebook/*.jsonl and
        instagram/*.jsonl (raw Apify items), manifest.json.
Writes  cleaned_files/: documents.jsonl (one row per kept document: id, source, url,
        date, text, lang, cluster, duplicates, removed, origin), one <source>/<id>.txt per
        document, report.json + report.md (counts in/out per source and per rule,
        examples of each rule), manifest.json. The folder is replaced whole, or not at all.
Assumes the brand's own accounts are brand.facebook_pages and brand.instagram_usernames.

    python 02_clean.py --config configs/demo.yaml [clean.near_duplicate_threshold=0.85]

Steps: read -> web pages (main text, cross-page boilerplate, legal lines, form labels) -> text rules (Unicode,
URLs, personal data, optional hashtag/mention trims, whitespace) -> length and
language filters -> listing pages reduced to their own lines (or dropped) -> exact and
near-duplicate clustering -> write.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from brandtone import atomic, cli, ownership
from brandtone.clean.boilerplate import extract_main_text, find_boilerplate, page_lines, remove_boilerplate
from brandtone.clean.listing import find_listing_pages
from brandtone.clean.report import CleanReport
from brandtone.clean.rules import TextRules, prepare_texts
from brandtone.clean.sources import SOCIAL_SOURCES, Dropped, Post, brand_handles, read_posts, read_web_pages
from brandtone.dedup import NearDuplicateRule, Sketch, exact_key, near_duplicate_pairs
from brandtone.errors import StageError
from brandtone.manifest import build_manifest, write_manifest


def main(argv=None) -> int:
    config, args, log = cli.start("clean", __doc__, None, argv, sections=("brand", "paths", "clean"))
    files_dir, out_dir, settings = config.paths.files_dir, config.paths.cleaned_dir, config.clean
    ownership.check_paths(
        reads={"paths.files_dir": (files_dir, "scrape")}, writes={"paths.cleaned_dir": (out_dir, "clean")}, dry_run=args.dry_run
    )
    if args.dry_run:
        cli.print_plan(config, ("brand", "clean"), {"files": files_dir}, {"cleaned": out_dir})
        return 0
    started = time.time()
    timings = {}
    report = CleanReport(settings.phone_region)
    rules = TextRules(
        phone_region=settings.phone_region,
        pii_placeholder=settings.pii_placeholder,
        remove_urls=settings.remove_urls,
        strip_mentions=settings.strip_mentions,
        strip_trailing_hashtags=settings.strip_trailing_hashtags,
    )

    # 1. Web pages: main text by trafilatura (else the saved visible text), then minus
    #    what recurs across the site's pages (nav, footer, cookie banner, repeated blocks
    #    and link texts) and legal lines and form labels.
    pages = []
    for page in read_web_pages(files_dir / "web"):
        report.count_in("web")
        if isinstance(page, Dropped):
            report.drop(page)
        else:
            pages.append(page)
    page_texts, seen_as = {}, {}
    for page in pages:
        extracted = extract_main_text(page.html) if page.html else None
        page_texts[page.id] = extracted if extracted else (page.visible_text or "")
        report.rule_fired("extracted_main_text" if extracted else "fallback_visible_text", "web", page.id)
        seen_as[page.id] = page_lines([page_texts[page.id], page.visible_text], page.html, page.url)
    boilerplate = find_boilerplate(
        list(seen_as.values()),
        settings.boilerplate_min_page_share,
        settings.boilerplate_block_min_page_share,
        settings.boilerplate_block_min_lines,
    )
    posts: list[Post] = []
    boilerplate_removed: dict[str, int] = {}
    for page in pages:
        text = page_texts[page.id]
        if not text.strip():
            report.drop(Dropped("empty_text", "web", page.id, "no text in the saved page"))
            continue
        stripped = remove_boilerplate(text, boilerplate, seen_as[page.id].form_texts)
        if stripped.found:
            report.rule_fired("boilerplate", "web", page.id, len(stripped.found), {"removed": stripped.found[0].value})
            boilerplate_removed[page.id] = len(stripped.found)
        if not stripped.text.strip():
            report.drop(Dropped("all_boilerplate", "web", page.id, f"all its lines are boilerplate ({len(stripped.found)} runs)"))
            continue
        posts.append(Post(page.id, "web", page.url, None, stripped.text, f"{page.id}.html"))
    report.boilerplate_lines = boilerplate.shown()
    log.info(
        "web: %d pages listed, %d with text after boilerplate removal (%d site-wide lines, %d repeated blocks, %d link texts)",
        report.items_in["web"],
        len(posts),
        len(boilerplate.lines),
        len(boilerplate.blocks),
        len(boilerplate.link_texts),
    )

    # 2. Social posts: the brand's own items with text; errors, repeats, collabs and empties counted.
    for source in SOCIAL_SOURCES:
        handles = brand_handles(source, config.brand.facebook_pages, config.brand.instagram_usernames)
        if not handles:
            log.warning("%s: no brand account configured, so collab posts cannot be told apart: keeping every post", source)
        for item in read_posts(files_dir, source, handles, settings.keep_collab_posts):
            report.count_in(source)
            if isinstance(item, Dropped):
                report.drop(item)
            else:
                posts.append(item)
    if not report.items_in:
        raise StageError(
            f"{files_dir} has no web pages and no posts (expected web/index.jsonl, facebook/*.jsonl or instagram/*.jsonl): rerun 01_scrape.py"
        )
    timings["read"] = time.time() - started

    # 3. Text rules, in worker processes, for each distinct text once (cross-posts share
    #    one), then the length and language filters. Texts are taken in order of
    #    preference: the website's copy first, then the earliest post (reposts come later
    #    and add "Link in bio" or hashtags), then the longer, then the smaller id; the
    #    first of a duplicate cluster in this order represents it.
    step = time.time()
    posts.sort(key=lambda p: (p.source != "web", p.date or "~", -len(p.text), p.id))
    posts_by_text: dict[str, list[Post]] = {}
    for post in posts:
        posts_by_text.setdefault(post.text, []).append(post)
    workers = settings.workers or os.cpu_count() or 1
    candidates: list[Candidate] = []
    for raw, result in zip(posts_by_text, prepare_texts(list(posts_by_text), rules, workers)):
        text, lang = result.cleaned.text, result.lang
        reason = (
            "too_short"
            if len(text) < settings.min_chars
            else "too_long"
            if len(text) > settings.max_chars
            else "language"
            if lang not in settings.keep_languages
            else None
        )
        for post in posts_by_text[raw]:
            report.text_rules_fired(post.source, post.id, result.cleaned)
            if reason:
                report.drop(Dropped(reason, post.source, post.id, f"{len(text)} chars, tagged {lang}", text))
                continue
            removed = {rule: len(found) for rule, found in result.cleaned.found.items()}
            if post.id in boilerplate_removed:
                removed["boilerplate"] = boilerplate_removed[post.id]
            candidates.append(Candidate(post, text, lang, removed, result.sketch))
    timings["clean"] = time.time() - step

    # 4. Listing pages (web pages made mostly of other documents' text) reduced to their own
    #    lines, or dropped when none is left; then exact and near-duplicate clustering.
    step = time.time()
    rule = NearDuplicateRule.of(settings)
    candidates = reduce_listing_pages(candidates, rule, settings.listing_page_min_covered, report)
    kept = cluster(candidates, rule, report)
    timings["listing_and_dedup"] = time.time() - step
    if not kept:
        totals = report.totals()
        raise StageError(
            f"no documents left after cleaning {files_dir} ({totals['items_in']} items in; dropped: {totals['dropped']}): check the brand accounts and clean.* settings"
        )

    # 5. Write documents, one .txt each, the report and the manifest, as one folder.
    step = time.time()
    kept.sort(key=lambda c: (("web",) + SOCIAL_SOURCES).index(c.post.source))
    rows = []
    with atomic.output_dir(out_dir, owner="clean") as tmp:
        for source in {c.post.source for c in kept}:
            (tmp / source).mkdir()
        write_text_files([(str(tmp / f"{c.post.id}.txt"), c.text + "\n") for c in kept], workers)
        for candidate in kept:
            post = candidate.post
            report.kept(post.source, candidate.lang)
            file = f"{post.id}.txt"
            rows.append(
                {
                    "id": post.id,
                    "source": post.source,
                    "url": post.url,
                    "date": post.date,
                    "text": candidate.text,
                    "lang": candidate.lang,
                    "cluster": post.id,
                    "duplicates": sorted(candidate.duplicates),
                    "removed": candidate.removed,
                    "file": file,
                    "origin": post.origin,
                    "chars": len(candidate.text),
                }
            )
        atomic.write_jsonl(tmp / "documents.jsonl", rows)
        report_data = report.to_json()
        atomic.write_json(tmp / "report.json", report_data)
        atomic.write_text(tmp / "report.md", report.to_markdown(config.brand.name, config.section_dict("clean")["clean"]))
        timings["write"] = time.time() - step
        write_manifest(
            tmp,
            build_manifest(
                stage="clean",
                config=config,
                sections=("brand", "clean"),
                inputs={"files": files_dir},
                counts={**report.totals(), "by_source": report_data["sources"]},
                started_at=started,
                extra={"timings_seconds": {k: round(v, 2) for k, v in timings.items()}, "cpu_seconds": cpu_seconds()},
            ),
        )
    totals = report.totals()
    log.info("kept %d of %d items; dropped %s", totals["documents_out"], totals["items_in"], totals["dropped"])
    log.info("wrote %s (report: %s)", out_dir, Path(out_dir) / "report.md")
    return 0


@dataclass
class Candidate:
    """A post or page that passed the filters; once kept, the representative of its duplicate cluster."""

    post: Post
    text: str
    lang: str
    removed: dict[str, int]
    sketch: Sketch
    duplicates: list[str] = field(default_factory=list)


def reduce_listing_pages(candidates: list[Candidate], rule: NearDuplicateRule, min_covered: float, report: CleanReport) -> list[Candidate]:
    """The candidates with each listing page reduced to its own lines, or left out (reason
    `listing_page`) when none is left (brandtone.clean.listing)."""
    first_with: dict[str, Candidate] = {}  # exact key -> the first candidate with that text
    for candidate in candidates:
        first_with.setdefault(exact_key(candidate.text), candidate)
    distinct = list(first_with.values())
    pages = {number: c.text for number, c in enumerate(distinct) if c.post.source == "web"}
    if not pages:
        return candidates
    listing = find_listing_pages(pages, [c.text for c in distinct], [c.sketch.hashes for c in distinct], rule, min_covered)
    number_of = {key: number for number, key in enumerate(first_with)}
    names = [c.post.id for c in distinct]
    result = []
    for candidate in candidates:
        page = listing.get(number_of[exact_key(candidate.text)])
        if page is None:
            result.append(candidate)
            continue
        why = page.describe(names)
        if not page.text:
            report.drop(Dropped("listing_page", "web", candidate.post.id, f"{why}; no sentence of its own left", candidate.text))
            continue
        report.rule_fired("listing_page_reduced", "web", candidate.post.id, page.lines_removed, {"why": why, "kept": page.text[:160]})
        candidate.removed["listing_page_reduced"] = page.lines_removed
        candidate.text, candidate.sketch = page.text, Sketch.of(page.text)
        result.append(candidate)
    return result


def cluster(candidates: list[Candidate], rule: NearDuplicateRule, report: CleanReport) -> list[Candidate]:
    """The kept documents. In order, each candidate joins the cluster of an earlier one with the
    same text, else of the most similar kept one that meets the rule (ties: the earlier), else
    starts its own; dropped ones are counted as exact or near duplicates."""
    first_of: dict[str, int] = {}  # exact key -> number among the distinct texts
    sketches = []
    for candidate in candidates:
        if first_of.setdefault(exact_key(candidate.text), len(first_of)) == len(sketches):
            sketches.append(candidate.sketch)
    earlier_similar = defaultdict(list)  # distinct text -> [(an earlier distinct text, similarity)]
    for a, b, similarity in near_duplicate_pairs(sketches, rule):
        earlier_similar[b].append((a, similarity))
    kept: list[Candidate] = []
    kept_as: dict[int, Candidate] = {}  # distinct text -> the kept candidate with it
    by_exact: dict[str, tuple[Candidate, str]] = {}  # text key -> (representative, first id with that text)
    for candidate in candidates:
        post, key = candidate.post, exact_key(candidate.text)
        if key in by_exact:
            representative, first = by_exact[key]
            representative.duplicates.append(post.id)
            report.drop(
                Dropped("exact_duplicate", post.source, post.id, f"same text as {first} (cluster {representative.post.id})", candidate.text)
            )
            continue
        similar = [(number, score) for number, score in earlier_similar[first_of[key]] if number in kept_as]
        if similar:
            number, similarity = min(similar, key=lambda pair: (-pair[1], pair[0]))
            representative = kept_as[number]
            representative.duplicates.append(post.id)
            by_exact[key] = (representative, post.id)
            report.drop(
                Dropped(
                    "near_duplicate",
                    post.source,
                    post.id,
                    f"near-duplicate of {representative.post.id} (similarity {similarity:.2f})",
                    candidate.text,
                )
            )
            continue
        by_exact[key] = (candidate, post.id)
        kept_as[first_of[key]] = candidate
        kept.append(candidate)
    return kept


def cpu_seconds() -> dict[str, float]:
    """CPU time of this process and of its finished worker processes (a benchmark aid: wall
    time on a shared machine says little)."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"main": round(own.ru_utime + own.ru_stime, 2), "workers": round(workers.ru_utime + workers.ru_stime, 2)}


def write_text_files(files: list[tuple[str, str]], workers: int) -> None:
    """(path, text) pairs, written by `workers` processes when there are many (creating
    100,000 small files is kernel work that two processes did in a third of the time)."""
    chunks = [files[i : i + 2000] for i in range(0, len(files), 2000)]
    if workers <= 1 or len(chunks) < 2:
        for chunk in chunks:
            _write_files(chunk)
        return
    with multiprocessing.Pool(workers) as pool:
        pool.map(_write_files, chunks)


def _write_files(files: list[tuple[str, str]]) -> None:
    # Plain writes: the folder as a whole is atomic (renamed into place at the end).
    for path, text in files:
        data = memoryview(text.encode("utf-8"))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            while data:
                data = data[os.write(fd, data) :]
        finally:
            os.close(fd)


if __name__ == "__main__":
    cli.run(main)
