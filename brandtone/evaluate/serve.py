"""`06_evaluate.py --serve`: the rating page and the Write view, a small ASGI app (Starlette, served by uvicorn)
over the evaluation folder, with one static page (static/index.html) talking to a JSON API.

Why not Gradio: it would add about 340 MB to the environment (gradio, pandas, pillow, huggingface-hub...),
5 s to every server start on our 2-core CI box and 30 s to its setup, and a generated front end whose DOM
and queue protocol a test must chase; the page needs a key-free pair format, a double-click guard,
keyboard shortcuts and resume, which are a few lines each in our own page. Starlette and uvicorn add
about 2 MB and import in a quarter of a second.

    GET  /                 the page (Rate, Write and Summary views)
    GET  /api/info         brand, number of pairs, the question, what the Write view offers
    GET  /api/next?rater=  the rater's progress and next pair (texts only: the key stays here)
    POST /api/vote         {rater, pair, choice, comment}: written to eval/votes.jsonl before the answer
    GET  /api/summary      the win rates and agreement --score-ratings reports, from the same votes
    POST /api/write        {request, system}: the answer, streamed as plain text
"""

from __future__ import annotations

import errno
import json
import logging
import socket
from pathlib import Path
from typing import Callable, Optional

from brandtone.config import ConfigError
from brandtone.evaluate.human_scores import CRITERIA, summary_tables
from brandtone.evaluate.ratings import KEY_NAME, SHEET_NAME, VOTES_NAME
from brandtone.evaluate.votes import COMMENT_MAX_CHARS, PAGE_CRITERION, VoteBook, VoteRefused, load_pairs

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
BODY_MAX_BYTES = 64 * 1024  # a vote or a request is far smaller
REQUEST_MAX_CHARS = 2000  # the Write view's request box


def check_rating_sheet(eval_dir: Path) -> None:
    for name in (SHEET_NAME, KEY_NAME):
        if not (eval_dir / name).is_file():
            raise ConfigError(f"{eval_dir / name} not found: run 06_evaluate.py first (it writes the rating sheet the page shows)")


def listening_socket(host: str, port: int) -> socket.socket:
    """Bound before anything loads, so a taken port is one line naming the config key."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror as exc:
        raise ConfigError(
            f"evaluate.serve_host: {host!r} is not an address of this machine ({exc.strerror}): use 127.0.0.1, or 0.0.0.0 for the LAN"
        ) from None
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart right after a kill finds the port free
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(
                f"evaluate.serve_port: port {port} on {host} is already in use (another --serve?): stop it, or pick "
                f"another port, e.g. evaluate.serve_port={port + 1}"
            ) from None
        raise ConfigError(f"evaluate.serve_host/serve_port: cannot listen on {host}:{port} ({exc.strerror})") from None
    sock.listen(128)
    return sock


def serve(config, eval_dir: Path, writer_factory: Callable[[], object], scores: Callable[[], tuple[Optional[dict], list[str]]]) -> int:
    """Check the folder and the port, then serve until Ctrl-C. `writer_factory` gives the Write view's Writer
    (or raises a StageError/ConfigError saying why there is none); `scores` reads the votes as --score-ratings does."""
    import uvicorn

    check_rating_sheet(eval_dir)
    book = VoteBook(eval_dir / VOTES_NAME, load_pairs(eval_dir), config.evaluate.seed)
    for problem in book.problems:
        log.warning("%s", problem)
    ev = config.evaluate
    sock = listening_socket(ev.serve_host, ev.serve_port)
    try:
        writer, unavailable = writer_factory(), None
    except Exception as exc:  # the rating page works without a model (an eval folder copied to a laptop)
        writer, unavailable = None, str(exc)
        log.warning("the Write view is off: %s", unavailable)
    app = build_app(book, writer, unavailable, config.brand.name, scores)
    host, port = sock.getsockname()[:2]
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    print(
        f"rating page: http://{shown}:{port}/  ({len(book.pairs)} pairs from {eval_dir / SHEET_NAME}; votes go to "
        f"{eval_dir / VOTES_NAME}). Ctrl-C stops it.",
        flush=True,
    )
    print(
        "To share it on your LAN, start it with evaluate.serve_host=0.0.0.0 and open http://<this machine's address>:"
        f"{port}/ (anyone on that network can then vote and use the Write view).",
        flush=True,
    )
    # no WebSocket here: pyppeteer pins websockets<11, which uvicorn's WebSocket support would fail to import
    server = uvicorn.Server(uvicorn.Config(app, ws="none", lifespan="off", log_level="warning", access_log=False))
    server.run(sockets=[sock])
    return 0


def build_app(book: VoteBook, writer, unavailable: Optional[str], brand: str, scores: Callable):
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import FileResponse, JSONResponse, StreamingResponse
    from starlette.routing import Route

    def answer(data: dict, status: int = 200) -> JSONResponse:
        return JSONResponse(data, status, headers={"Cache-Control": "no-store"})

    async def body_of(request) -> dict:
        raw = await request.body()
        if len(raw) > BODY_MAX_BYTES:
            raise VoteRefused("the request is too large")
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise VoteRefused("the request is not JSON: reload the page") from None
        if not isinstance(data, dict):
            raise VoteRefused("the request is not a JSON object: reload the page")
        return data

    async def index(request):
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})

    async def info(request):
        question = f"Which {CRITERIA[PAGE_CRITERION].replace('the brand', brand)}?"
        return answer(
            {
                "brand": brand,
                "pairs": len(book.pairs),
                "question": question,
                "comment_max_chars": COMMENT_MAX_CHARS,
                "request_max_chars": REQUEST_MAX_CHARS,
                "write": writer.describe() if writer else None,
                "write_unavailable": unavailable,
            }
        )

    async def next_pair(request):
        try:
            return answer(book.progress(request.query_params.get("rater")))
        except VoteRefused as exc:
            return answer({"error": str(exc)}, 400)

    async def vote(request):
        try:
            data = await body_of(request)
            counted = await run_in_threadpool(book.cast, data.get("rater"), data.get("pair"), data.get("choice"), data.get("comment"))
            return answer({"counted": counted, **book.progress(data.get("rater"))})
        except VoteRefused as exc:
            return answer({"error": str(exc)}, 400)

    async def summary(request):
        section, problems = await run_in_threadpool(scores)
        return answer(
            {"tables": summary_tables(section) if section else [], "problems": problems, "judgments": section["ratings"] if section else 0}
        )

    async def write(request):
        if writer is None:
            return answer({"error": f"the Write view is off: {unavailable}"}, 503)
        try:
            data = await body_of(request)
        except VoteRefused as exc:
            return answer({"error": str(exc)}, 400)
        systems = writer.describe()["systems"]
        text, system = str(data.get("request") or "").strip(), data.get("system", systems[0])
        if not text:
            return answer({"error": "type a request first, e.g. an Instagram caption for our monsoon pakora offer"}, 400)
        if len(text) > REQUEST_MAX_CHARS:
            return answer({"error": f"the request is longer than {REQUEST_MAX_CHARS} characters: shorten it"}, 400)
        if system not in systems:
            return answer({"error": f"{system!r} is not one of {', '.join(systems)}"}, 400)
        return StreamingResponse(writer.stream(system, text), media_type="text/plain; charset=utf-8", headers={"Cache-Control": "no-store"})

    return Starlette(
        routes=[
            Route("/", index),
            Route("/api/info", info),
            Route("/api/next", next_pair),
            Route("/api/vote", vote, methods=["POST"]),
            Route("/api/summary", summary),
            Route("/api/write", write, methods=["POST"]),
        ]
    )
