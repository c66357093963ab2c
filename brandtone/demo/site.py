"""A tiny local web server for the demo brand's website (demo/site/).

The demo and the tests crawl a real website without touching the network: this
module serves the static files of the fictional brand "Nukkar Chai Co." on
127.0.0.1, on a free port, from a daemon thread.

Beyond plain file serving it does the few things a crawler must cope with:

- ``/`` and folder paths serve that folder's ``index.html``; a folder asked
  for without its trailing slash is redirected (301) to the slashed form, so
  relative links inside it resolve the way a browser would resolve them;
- ``{{BASE_URL}}`` in ``.html``, ``.xml`` and ``.txt`` files is replaced by the
  server's real base URL (robots.txt and sitemap.xml need absolute URLs);
- ``_redirects.json`` in the site root maps paths to targets, answered with a
  301 and a ``Location`` header (a redirect loop there is deliberate: tests
  use it);
- missing files are 404; files whose name starts with ``_`` or ``.``
  (``_redirects.json`` included) are never served; paths that would escape the
  site root are rejected;
- text types carry ``charset=utf-8``; nothing is logged per request.

Use it as a context manager::

    with serve_site(Path("demo/site")) as base_url:
        ...  # e.g. "http://127.0.0.1:41234"

or from a shell, serving until Ctrl-C::

    python -m brandtone.demo.site demo/site
"""

from __future__ import annotations

import contextlib
import json
import posixpath
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

REDIRECTS_FILE = "_redirects.json"
PLACEHOLDER = b"{{BASE_URL}}"

# Fixed table rather than the mimetypes module, whose answers depend on the host.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"
SUBSTITUTED_SUFFIXES = {".html", ".htm", ".xml", ".txt"}


class _SiteServer(ThreadingHTTPServer):
    """An HTTP server that knows its site root, redirects and base URL."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], root: Path) -> None:
        super().__init__(address, _SiteHandler)
        self.root = root.resolve()
        self.redirects = _load_redirects(self.root)
        host, port = self.server_address[:2]
        if ":" in host:  # IPv6 literal
            host = f"[{host}]"
        self.base_url = f"http://{host}:{port}"


def _load_redirects(root: Path) -> dict[str, str]:
    path = root / REDIRECTS_FILE
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ValueError(f"{path} must be a JSON object mapping paths to paths")
    return data


class _SiteHandler(BaseHTTPRequestHandler):
    server: _SiteServer
    server_version = "NukkarDemo/1.0"
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # quiet: no per-request lines on stderr

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(send_body=False)

    # -- routing ---------------------------------------------------------

    def _respond(self, send_body: bool) -> None:
        raw_path = urlsplit(self.path).path or "/"
        path = unquote(raw_path)

        target = self.server.redirects.get(path)
        if target is not None:
            self._send_redirect(target, send_body)
            return

        file = self._resolve(path)
        if file is None:
            self._send_text(HTTPStatus.NOT_FOUND, "404 Not Found\n", send_body)
            return
        if file.is_dir():
            if not path.endswith("/"):
                self._send_redirect(raw_path + "/", send_body)
                return
            file = file / "index.html"
            if not file.is_file():
                self._send_text(HTTPStatus.NOT_FOUND, "404 Not Found\n", send_body)
                return
        self._send_file(file, send_body)

    def _resolve(self, path: str) -> Path | None:
        """Map a URL path to a file or folder under the root, or None."""
        if "\x00" in path or "\\" in path or not path.startswith("/"):
            return None
        parts = [p for p in path.split("/") if p]
        if any(p in (".", "..") or p.startswith(("_", ".")) for p in parts):
            return None
        normalised = posixpath.normpath("/" + "/".join(parts)).lstrip("/")
        candidate = (self.server.root / normalised).resolve()
        if candidate != self.server.root and self.server.root not in candidate.parents:
            return None  # e.g. a symlink pointing out of the site
        if not candidate.exists():
            return None
        return candidate

    # -- responses -------------------------------------------------------

    def _send_file(self, file: Path, send_body: bool) -> None:
        suffix = file.suffix.lower()
        body = file.read_bytes()
        if suffix in SUBSTITUTED_SUFFIXES:
            body = body.replace(PLACEHOLDER, self.server.base_url.encode("ascii"))
        content_type = CONTENT_TYPES.get(suffix, DEFAULT_CONTENT_TYPE)
        self._send(HTTPStatus.OK, content_type, body, send_body)

    def _send_redirect(self, target: str, send_body: bool) -> None:
        location = target
        if target.startswith("/"):
            location = self.server.base_url + target
        body = f"Moved permanently to {location}\n".encode("utf-8")
        self._send(HTTPStatus.MOVED_PERMANENTLY, "text/plain; charset=utf-8", body, send_body, extra_headers={"Location": location})

    def _send_text(self, status: HTTPStatus, text: str, send_body: bool) -> None:
        self._send(status, "text/plain; charset=utf-8", text.encode("utf-8"), send_body)

    def _send(
        self, status: HTTPStatus, content_type: str, body: bytes, send_body: bool, extra_headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (extra_headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)


@contextlib.contextmanager
def serve_site(root: Path, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve the static site under ``root``; yield its base URL (no trailing slash).

    ``port=0`` picks a free port. The server runs in a daemon thread and is shut
    down when the ``with`` block ends.
    """
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"site root {root} is not a folder")
    server = _SiteServer((host, port), root)
    thread = threading.Thread(target=server.serve_forever, name="demo-site", kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield server.base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m brandtone.demo.site", description="Serve the demo brand's website locally until Ctrl-C."
    )
    parser.add_argument("root", nargs="?", default="demo/site", type=Path, help="site folder")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default=0, type=int, help="0 picks a free port")
    args = parser.parse_args(argv)

    with serve_site(args.root, args.host, args.port) as base_url:
        print(f"Serving {args.root} at {base_url}/  (Ctrl-C to stop)", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("\nStopped.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
