"""The system's Chromium, started by us in its own process group with a throw-away profile and
connected to through pyppeteer; closed (whole process group) on every exit path, and the profiles
of crawls that were killed removed by the next. Pages are loaded in it by `page_load`."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

from brandtone.config_schema import ScrapeConfig
from brandtone.errors import StageError
from brandtone.ownership import remove_leftover, writer_gone, writer_tag

log = logging.getLogger("brandtone.scrape")

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
BROWSER_FLAGS = [
    "--headless",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # no traffic of Chromium's own: updates, safe browsing, metrics, sync...
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--disable-extensions",
    "--disable-breakpad",
    "--disable-client-side-phishing-detection",
    "--metrics-recording-only",
    "--no-first-run",
    "--no-default-browser-check",
    "--no-pings",
    "--mute-audio",
    "--hide-scrollbars",
    "--blink-settings=imagesEnabled=false",  # text is what we want; images only cost time
    "--remote-debugging-port=0",
]
BROWSER_START_SECONDS = 30
BROWSER_QUIT_SECONDS = 5


def find_browser(configured: Optional[Path]) -> Path:
    if configured is not None:
        path = Path(configured)
        if not path.is_file() or not os.access(path, os.X_OK):
            raise StageError(f"scrape.browser_path {path} is not an executable file: point it at Chromium")
        return path
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise StageError(
        f"no Chromium found on PATH (looked for {', '.join(BROWSER_NAMES)}): install it "
        "(Debian: apt-get install chromium) or set scrape.browser_path"
    )


def _die_with_parent() -> None:
    """In the browser's child process: get SIGKILL if this Python process dies, even by kill -9."""
    with contextlib.suppress(Exception):
        _LIBC.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


_LIBC = ctypes.CDLL(None) if sys.platform.startswith("linux") else None


PROFILE_PREFIX = "brandtone-chromium-"  # then HOST-PID- and tempfile's random part, in the system's temporary folder
PROFILE_MARK = "brandtone-profile.json"  # inside: the writer again, so that a folder of that name is known to be ours


def remove_dead_profiles() -> None:
    """Remove the throw-away profiles of crawls that were killed (a kill runs no clean-up), with the
    org.chromium.Chromium.* folder their browser made for its singleton socket: only profiles that
    carry our mark, belong to this user, and whose crawl ran on this machine and is gone."""
    for folder in Path(tempfile.gettempdir()).glob(f"{PROFILE_PREFIX}*"):
        writer = folder.name.removeprefix(PROFILE_PREFIX).rpartition("-")[0]
        try:
            marked = json.loads((folder / PROFILE_MARK).read_text())["writer"] == writer
            mine = folder.stat().st_uid == os.getuid() and not folder.is_symlink()
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if marked and mine and writer_gone(writer):
            singleton = _singleton_folder(folder / "profile")
            if singleton is not None:
                remove_leftover(singleton, f"the browser of a killed crawl ({folder.name})", writer)
            remove_leftover(folder, "the browser of a killed crawl", writer)


def _singleton_folder(user_data_dir: Path) -> Optional[Path]:
    """The folder Chromium made in the temporary folder for its singleton socket, which its profile's
    SingletonSocket link points into, when it holds nothing else."""
    try:
        folder = Path(os.readlink(user_data_dir / "SingletonSocket")).parent
        names = [item.name for item in folder.iterdir()]
    except OSError:
        return None
    if folder.name.startswith("org.chromium.Chromium.") and all(name.startswith("Singleton") for name in names):
        return folder
    return None


class Chromium:
    """The system's Chromium in its own process group with a throw-away profile, driven by pyppeteer.

    We start the process ourselves (rather than pyppeteer.launch) to own its whole
    lifetime: a clear error when the executable is not a working browser, no
    atexit/signal handlers installed behind our back, and the entire process group
    terminated on close.
    """

    def __init__(self, executable: Path, settings: ScrapeConfig) -> None:
        self.executable, self.settings = executable, settings
        self.process: Optional[subprocess.Popen] = None
        self.browser = None
        self._profile = None

    async def start(self) -> None:
        import pyppeteer  # imported here: dry runs and social-only runs never need it

        remove_dead_profiles()
        self._profile = tempfile.TemporaryDirectory(prefix=f"{PROFILE_PREFIX}{writer_tag()}-")
        profile = Path(self._profile.name)
        (profile / PROFILE_MARK).write_text(json.dumps({"writer": writer_tag(), "made_by": "brandtone 01_scrape.py"}))
        flags = [*BROWSER_FLAGS, f"--user-data-dir={profile / 'profile'}", f"--user-agent={self.settings.user_agent}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            flags.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
        stderr = open(profile / "stderr.log", "wb")
        try:
            self.process = subprocess.Popen(
                [str(self.executable), *flags, "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,
                preexec_fn=_die_with_parent if _LIBC else None,
            )
        except OSError as exc:
            raise StageError(f"cannot start the browser {self.executable}: {exc}; check scrape.browser_path") from None
        finally:
            stderr.close()
        endpoint = await self._devtools_endpoint(profile)
        self.browser = await pyppeteer.connect(browserWSEndpoint=endpoint, defaultViewport={"width": 1280, "height": 900})
        log.info("started %s (pid %d)", self.executable, self.process.pid)

    async def _devtools_endpoint(self, profile: Path) -> str:
        port_file = profile / "profile" / "DevToolsActivePort"
        deadline = time.monotonic() + BROWSER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                lines = (profile / "stderr.log").read_text(errors="replace").strip().splitlines()
                said = f": {lines[-1][:200]}" if lines else ""
                raise StageError(
                    f"the browser {self.executable} exited with code {self.process.returncode} before it started{said}; "
                    "check scrape.browser_path points at a working Chromium"
                )
            lines = port_file.read_text().splitlines() if port_file.is_file() else []
            if len(lines) >= 2:
                return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
            await asyncio.sleep(0.05)
        raise StageError(f"the browser {self.executable} did not start within {BROWSER_START_SECONDS} s")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    async def close(self) -> None:
        """Ask Chromium to quit (it then removes its own temporary files), then make sure its whole
        process group is gone; safe to call on any path, twice included."""
        if self.browser is not None:
            await wait_uncancelled(self.browser.close(), BROWSER_QUIT_SECONDS)  # CDP Browser.close
            await wait_uncancelled(self.browser.disconnect(), BROWSER_QUIT_SECONDS)
            self.browser = None
            await _settle_background_tasks()
            deadline = time.monotonic() + BROWSER_QUIT_SECONDS
            while self.alive() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        self.kill()

    def kill(self) -> None:
        """Terminate, then kill, whatever is left of the browser's process group; remove the profile."""
        if self.process is not None:
            if self.process.poll() is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.process.pid, signal.SIGTERM)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(BROWSER_QUIT_SECONDS)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)  # helpers (zygote, renderers) still around
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(BROWSER_QUIT_SECONDS)
            self.process = None
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None


async def wait_uncancelled(awaitable, timeout: float) -> None:
    """Wait up to `timeout` for a pyppeteer call whose failure does not matter, without ever
    cancelling it (see page_load.load_page); a call still running is collected at the end of the crawl."""
    task = asyncio.ensure_future(awaitable)
    await asyncio.wait({task}, timeout=timeout)
    if task.done() and not task.cancelled():
        task.exception()


async def _settle_background_tasks() -> None:
    """After the browser connection is gone: let pyppeteer's leftover tasks (its websocket reader,
    abandoned page work) finish, cancel what still sleeps, and collect every outcome, so asyncio
    reports none of them as an unhandled error."""
    others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    if others:
        await asyncio.wait(others, timeout=BROWSER_QUIT_SECONDS)
    for task in others:
        if not task.done():
            task.cancel()
    if others:
        await asyncio.wait(others, timeout=BROWSER_QUIT_SECONDS)
    for task in others:
        if task.done() and not task.cancelled():
            task.exception()


def ignore_closed_browser_errors(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    """pyppeteer leaves some calls' futures unawaited; once the browser is closed they fail with
    'Target closed' / 'Connection is closed', which asyncio would log as unhandled. Drop just those."""
    from pyppeteer.errors import PyppeteerError
    from websockets.exceptions import ConnectionClosed

    error = context.get("exception")
    if isinstance(error, (PyppeteerError, ConnectionClosed)) and "closed" in str(error).lower():
        log.debug("after the browser closed: %s", error)
        return
    loop.default_exception_handler(context)
