"""Stage 1, social posts: Facebook and Instagram items through Apify, or from Apify exports.

With `APIFY_TOKEN` set, each Facebook page and each Instagram username is one
run of the actor named in config; the run's final status is checked and its
whole dataset paged through. Without a token, the files in `scrape.import_dir`
(JSON arrays or JSONL, as downloaded from the Apify console) are imported; each
file's source is decided by its items' fields, not its name.

Either way the items are kept verbatim, one per line, in
`files/facebook/<name>.jsonl` and `files/instagram/<name>.jsonl` (the folder is
the source), each file rewritten whole and atomically, so rerunning never
duplicates items. `files/posts_index.jsonl` then lists every item: source, id,
url, timestamp, owner, file, line.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator, Optional
from urllib.parse import urlsplit

from brandtone import atomic
from brandtone.config import ConfigError
from brandtone.config_schema import Config
from brandtone.errors import StageError
from brandtone.jsonl import read_jsonl

log = logging.getLogger("brandtone.scrape")

SOURCES = ("facebook", "instagram")
# Fields only that actor's items carry: how an item tells its source.
SOURCE_FIELDS = {"facebook": ("postId", "facebookUrl"), "instagram": ("shortCode", "ownerUsername")}
EXPORT_SUFFIXES = (".json", ".jsonl", ".ndjson")
POSTS_INDEX_NAME = "posts_index.jsonl"
RUN_WAIT_GRACE_SECONDS = 60  # wait a little past the actor's own timeout for its final status


@dataclass
class SocialBatch:
    """Items of one source bound for one file in files/<source>/."""

    source: str
    name: str  # file name stem
    items: list[dict]
    origin: str  # the export file or the actor run they came from


# --------------------------------------------------------------------------- exports (no token)


def item_source(item: dict) -> Optional[str]:
    """'facebook', 'instagram', or None when the item carries neither actor's fields."""
    found = [source for source, fields in SOURCE_FIELDS.items() if any(name in item for name in fields)]
    return found[0] if len(found) == 1 else None


def read_export(path: Path) -> list[dict]:
    """The items of one exported dataset: a JSON array, or JSON Lines."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StageError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); export the dataset as JSON") from None
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise StageError(f"{path}: not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg})") from None
        where = [f"item [{index}]" for index in range(len(items))]
    else:
        rows = read_jsonl(path, "expected a JSON array or one item per line")
        items, where = [item for _, item in rows], [f"line {number}" for number, _ in rows]
    for item, place in zip(items, where):
        if not isinstance(item, dict):
            raise StageError(f"{path}: {place} is not a JSON object ({type(item).__name__})")
    return items


def export_batch(path: Path) -> SocialBatch:
    """One export file as a batch of one source; every item must be that source's
    (items with only an `error` key, which the actors emit for failed posts, go with the rest)."""
    items = read_export(path)
    source_of_file, first_index = None, None
    for index, item in enumerate(items):
        source = item_source(item)
        if source is None:
            if "error" in item:
                continue
            raise StageError(
                f"{path}: item [{index}] has none of the fields of a Facebook post ({', '.join(SOURCE_FIELDS['facebook'])}) "
                f"or an Instagram post ({', '.join(SOURCE_FIELDS['instagram'])}); is this an Apify posts export?"
            )
        if source_of_file is None:
            source_of_file, first_index = source, index
        elif source != source_of_file:
            raise StageError(
                f"{path}: holds both Facebook and Instagram posts (item [{first_index}]: {source_of_file}, "
                f"item [{index}]: {source}); export each actor's dataset to its own file"
            )
    if source_of_file is None:
        raise StageError(f"{path}: no Facebook or Instagram posts in it ({len(items)} items); is this an Apify posts export?")
    return SocialBatch(source_of_file, path.stem, items, str(path))


def import_exports(import_dir: Path) -> list[SocialBatch]:
    """Read and check every export in the folder before anything is written."""
    files = sorted(p for p in Path(import_dir).iterdir() if p.is_file() and p.suffix.lower() in EXPORT_SUFFIXES)
    if not files:
        raise StageError(f"scrape.import_dir {import_dir} has no {'/'.join(EXPORT_SUFFIXES)} files: export the datasets there")
    batches = [export_batch(path) for path in files]
    targets: dict[tuple[str, str], str] = {}
    for batch in batches:
        previous = targets.setdefault((batch.source, batch.name), batch.origin)
        if previous != batch.origin:
            raise StageError(f"{previous} and {batch.origin} would both be saved as {batch.source}/{batch.name}.jsonl: rename one")
    return batches


# --------------------------------------------------------------------------- Apify (token)


@dataclass
class ActorJob:
    source: str
    actor: str
    target: str  # the page URL or username, for messages
    name: str
    run_input: dict[str, Any]


def actor_jobs(config: Config) -> list[ActorJob]:
    """One actor run per Facebook page and per Instagram username named in config."""
    scrape = config.scrape
    jobs = []
    for page_url in config.brand.facebook_pages:
        run_input: dict[str, Any] = {"startUrls": [{"url": page_url}], "resultsLimit": scrape.results_limit}
        if scrape.only_posts_newer_than:
            run_input["onlyPostsNewerThan"] = scrape.only_posts_newer_than
        name = _safe_name(urlsplit(page_url).path.strip("/") or urlsplit(page_url).netloc)
        jobs.append(ActorJob("facebook", scrape.facebook_actor, page_url, name, run_input))
    for username in config.brand.instagram_usernames:
        username = username.strip().lstrip("@")
        run_input = {"directUrls": [f"https://www.instagram.com/{username}/"], "resultsType": "posts", "resultsLimit": scrape.results_limit}
        if scrape.only_posts_newer_than:
            run_input["onlyPostsNewerThan"] = scrape.only_posts_newer_than
        jobs.append(ActorJob("instagram", scrape.instagram_actor, username, _safe_name(username), run_input))
    return jobs


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "posts"


def check_token(client, config: Config) -> None:
    """Ask Apify whose APIFY_TOKEN this is, before anything is written: a rejected token is a
    one-line ConfigError (exit code 2) and files/ is not even claimed."""
    with _apify_errors("the token check (GET /v2/users/me)", config):
        client.user().get()


def run_actor(client, job: ActorJob, config: Config) -> SocialBatch:
    """Start the actor, wait for its final status, and page through its whole dataset."""
    timeout = config.scrape.actor_timeout_seconds
    what = f"{job.actor} on {job.target}"
    log.info("running Apify actor %s (up to %d s)", what, timeout)
    with _apify_errors(what, config):
        run = client.actor(job.actor).call(
            run_input=job.run_input,
            run_timeout=timedelta(seconds=timeout),
            wait_duration=timedelta(seconds=timeout + RUN_WAIT_GRACE_SECONDS),
            logger=None,  # no actor-details lookup, no log streaming: just start and wait
        )
        if run is None:
            raise StageError(f"Apify lost the run of {what}: retry later")
        if run.status != "SUCCEEDED":
            detail = f" ({run.status_message})" if run.status_message else ""
            hint = (
                "still running: raise scrape.actor_timeout_seconds"
                if run.status in ("READY", "RUNNING")
                else "see the run's log in the Apify console"
            )
            raise StageError(f"Apify run {run.id} of {what} ended {run.status}{detail}: {hint}")
        items = list(client.dataset(run.default_dataset_id).iterate_items())
    log.info("%s: run %s succeeded with %d items", what, run.id, len(items))
    return SocialBatch(job.source, job.name, items, f"apify run {run.id} ({job.actor})")


@contextlib.contextmanager
def _apify_errors(what: str, config: Config) -> Iterator[None]:
    """The Apify client's failures as one line each: a rejected token, an API error, no connection."""
    from apify_client.errors import ApifyApiError, ApifyClientError

    try:
        yield
    except ApifyApiError as exc:
        if exc.status_code == 401:
            raise ConfigError(
                f"APIFY_TOKEN: Apify rejected it (HTTP 401: {exc.message}) at {what}: export a valid token"
                " (Apify console > Settings > API & Integrations), or unset it to import scrape.import_dir"
            ) from None
        raise StageError(f"Apify API error for {what}: HTTP {exc.status_code} {exc.type or ''}: {exc.message}") from None
    except ApifyClientError as exc:
        raise StageError(f"Apify client error for {what}: {_first_line(exc)}") from None
    except Exception as exc:
        if isinstance(exc, OSError) or type(exc).__module__.split(".")[0] in ("impit", "httpx2", "httpx"):
            # transport failures, after the client's own retries
            raise StageError(f"cannot reach the Apify API at {config.scrape.apify_api_url} for {what}: {_first_line(exc)}") from None
        raise


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def apify_client(config: Config, token: str):
    from apify_client import ApifyClient

    logging.getLogger("apify_client").setLevel(logging.WARNING)
    return ApifyClient(token, api_url=config.scrape.apify_api_url)


# --------------------------------------------------------------------------- files/<source>/ and the posts index


def batch_path(files_dir: Path, batch_or_job) -> Path:
    return Path(files_dir) / batch_or_job.source / f"{batch_or_job.name}.jsonl"


def save_batch(files_dir: Path, batch: SocialBatch) -> Path:
    path = batch_path(files_dir, batch)
    atomic.write_jsonl(path, batch.items)
    return path


def _epoch_to_iso(value: Any) -> Optional[str]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, timezone.utc).isoformat(timespec="seconds")
    return None


def index_row(source: str, item: dict) -> dict:
    """The fields every later stage needs, whatever the actor called them."""
    if source == "facebook":
        user = item.get("user") if isinstance(item.get("user"), dict) else {}
        return {
            "id": item.get("postId"),
            "url": item.get("url") or item.get("facebookUrl"),
            "timestamp": item.get("time") or _epoch_to_iso(item.get("timestamp")),
            "owner": item.get("pageName") or user.get("name"),
        }
    return {
        "id": item.get("id") or item.get("shortCode"),
        "url": item.get("url"),
        "timestamp": item.get("timestamp"),
        "owner": item.get("ownerUsername"),
    }


def write_posts_index(files_dir: Path) -> dict[str, dict[str, int]]:
    """Rebuild files/posts_index.jsonl from every saved social file; returns counts per source."""
    files_dir = Path(files_dir)
    rows, counts = [], {}
    for source in SOURCES:
        paths = sorted((files_dir / source).glob("*.jsonl"))
        counts[source] = {"files": len(paths), "items": 0}
        for path in paths:
            for number, item in read_jsonl(path, f"move it away and rerun 01_scrape.py to fetch {source} again"):
                rows.append({"source": source, **index_row(source, item), "file": path.relative_to(files_dir).as_posix(), "line": number})
                counts[source]["items"] += 1
    atomic.write_jsonl(files_dir / POSTS_INDEX_NAME, rows)
    return counts
