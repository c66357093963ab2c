"""A fake Apify API on 127.0.0.1 for the tests: only the endpoints apify-client 3.4 uses
to run an actor and read its dataset (see /work/shared/NOTES.md):

    GET  /v2/users/me                  the token's owner (stage 1 checks the token with it first)
    POST /v2/actors/{actor}/runs       (and /v2/acts/{actor}/runs, older clients)
    GET  /v2/actor-runs/{run_id}       ?waitForFinish=...; RUNNING first, then the final status
    GET  /v2/datasets/{id}/items       ?offset=&limit=, at most `page_size` items a page,
                                       with every x-apify-pagination-* header

Request bodies may be gzip-encoded (`Content-Encoding: gzip`). A wrong or missing
bearer token gets 401 with Apify's error body. Everything it was asked is recorded
in `requests` and `runs` for the tests to inspect.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator, Optional
from urllib.parse import parse_qs, unquote, urlsplit

TERMINAL = ("SUCCEEDED", "FAILED", "TIMED-OUT", "ABORTED")


@dataclass
class FakeActor:
    items: list[dict]
    final_status: str = "SUCCEEDED"
    status_message: Optional[str] = None


@dataclass
class FakeApify:
    token: str
    actors: dict[str, FakeActor]  # keyed by "owner/name"
    page_size: int = 1000  # the server's own cap per items page
    requests: list[dict] = field(default_factory=list)
    runs: dict[str, dict] = field(default_factory=dict)

    def run_object(self, run: dict, status: str) -> dict:
        return {
            "id": run["id"],
            "actId": run["actor"].replace("/", "~"),
            "userId": "fakeUser1",
            "startedAt": run["startedAt"],
            "finishedAt": run["startedAt"] if status in TERMINAL else None,
            "status": status,
            "statusMessage": run["statusMessage"] if status in TERMINAL else "Actor is running",
            "meta": {"origin": "API"},
            "stats": {},
            "options": {"build": "latest", "timeoutSecs": run["timeoutSecs"], "memoryMbytes": 1024, "diskMbytes": 2048},
            "buildId": "fakeBuild1",
            "generalAccess": "FOLLOW_USER_SETTING",
            "defaultKeyValueStoreId": f"kvs-{run['id']}",
            "defaultDatasetId": run["datasetId"],
            "defaultRequestQueueId": f"rq-{run['id']}",
        }


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002
        pass

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def do_GET(self) -> None:  # noqa: N802
        self._handle("GET")

    def _handle(self, method: str) -> None:
        fake = self.server.fake
        url = urlsplit(self.path)
        parts = [unquote(p) for p in url.path.strip("/").split("/")]
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        body = self._body()
        fake.requests.append(
            {
                "method": method,
                "path": url.path,
                "query": query,
                "gzip": self.headers.get("Content-Encoding") == "gzip",
                "authorized": self._authorized(),
            }
        )
        if not self._authorized():
            return self._error(401, "token-not-valid", "Authentication token is not valid.")
        if method == "POST" and len(parts) == 4 and parts[:2] in (["v2", "actors"], ["v2", "acts"]) and parts[3] == "runs":
            return self._start_run(parts[2].replace("~", "/"), body, query)
        if method == "GET" and parts == ["v2", "users", "me"]:
            return self._json(200, {"data": {"id": "fakeUser1", "username": "nukkar-fake", "profile": {}}})
        if method == "GET" and len(parts) == 3 and parts[:2] == ["v2", "actor-runs"]:
            return self._get_run(parts[2])
        if method == "GET" and len(parts) == 4 and parts[:2] == ["v2", "datasets"] and parts[3] == "items":
            return self._items(parts[2], query)
        return self._error(404, "page-not-found", f"no such endpoint in the fake: {method} {url.path}")

    def _authorized(self) -> bool:
        return self.headers.get("Authorization") == f"Bearer {self.server.fake.token}"

    def _body(self) -> bytes:
        data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        return data

    def _start_run(self, actor: str, body: bytes, query: dict) -> None:
        fake = self.server.fake
        if actor not in fake.actors:
            return self._error(404, "record-not-found", f"Actor {actor} was not found")
        run_id = uuid.uuid4().hex[:17]
        fake.runs[run_id] = {
            "id": run_id,
            "actor": actor,
            "input": json.loads(body or b"null"),
            "datasetId": f"ds-{run_id}",
            "startedAt": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "timeoutSecs": int(query.get("timeout", 3600)),
            "polls": 0,
            "statusMessage": fake.actors[actor].status_message,
        }
        self._json(201, {"data": fake.run_object(fake.runs[run_id], "RUNNING")})

    def _get_run(self, run_id: str) -> None:
        fake = self.server.fake
        run = fake.runs.get(run_id)
        if run is None:
            return self._error(404, "record-not-found", "Actor run was not found")
        run["polls"] += 1
        status = "RUNNING" if run["polls"] == 1 else fake.actors[run["actor"]].final_status
        self._json(200, {"data": fake.run_object(run, status)})

    def _items(self, dataset_id: str, query: dict) -> None:
        fake = self.server.fake
        run = next((r for r in fake.runs.values() if r["datasetId"] == dataset_id), None)
        if run is None:
            return self._error(404, "record-not-found", "Dataset was not found")
        items = fake.actors[run["actor"]].items
        offset = int(query.get("offset", 0))
        limit = min(int(query.get("limit") or fake.page_size), fake.page_size)
        page = items[offset : offset + limit]
        self._json(
            200,
            page,
            headers={
                "x-apify-pagination-total": str(len(items)),
                "x-apify-pagination-offset": str(offset),
                "x-apify-pagination-count": str(len(page)),
                "x-apify-pagination-limit": str(limit),
                "x-apify-pagination-desc": "false",
            },
        )

    def _error(self, status: int, kind: str, message: str) -> None:
        self._json(status, {"error": {"type": kind, "message": message}})

    def _json(self, status: int, data, headers: Optional[dict] = None) -> None:
        body = json.dumps(data).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeApify) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


@contextlib.contextmanager
def serve_fake_apify(fake: FakeApify) -> Iterator[str]:
    """Serve `fake` on a free port of 127.0.0.1; yields the API base URL."""
    server = _Server(fake)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
