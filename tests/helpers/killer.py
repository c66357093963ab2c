"""Killing a real subprocess with SIGKILL at an exact point of its work, as the OOM killer or a closed
terminal would, with no cleanup of any kind.

The point is found by a Python audit hook (`sys.addaudithook`) installed before the script runs: the
interpreter reports every file it opens and every rename, so the process kills itself exactly when it
first opens a file inside a temporary folder it is writing (`killed_while_writing`), or just before
it renames something onto a given path (`killed_renaming_onto`). A watcher polling from outside could miss a folder that lives for a
millisecond; the hook cannot. Worker processes forked by the script are left alone.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from tests.helpers.paths import REPO

_PRELUDE = """
import os, re, runpy, signal, sys
main_pid = os.getpid()
"""

_WHILE_WRITING = (
    _PRELUDE
    + """
inside = re.compile({inside!r})
def hook(event, args):
    if event != "open" or os.getpid() != main_pid:
        return
    try:
        path = os.fspath(args[0])
    except TypeError:
        return  # a file descriptor
    path = path.decode() if isinstance(path, bytes) else path
    folder, name = os.path.split(os.path.abspath(path))
    if inside.match(os.path.basename(folder)) and not name.startswith((".manifest.json.tmp-", "manifest.json")):
        os.kill(main_pid, signal.SIGKILL)
sys.addaudithook(hook)
"""
)

_RENAMING_ONTO = (
    _PRELUDE
    + """
target = os.path.abspath({target!r})
def hook(event, args):
    if event == "os.rename" and os.getpid() == main_pid and os.path.abspath(os.fspath(args[1])) == target:
        os.kill(main_pid, signal.SIGKILL)
sys.addaudithook(hook)
"""
)


def _run(prelude: str, script: str, args: tuple[str, ...], cwd: Path, env: dict | None, timeout: float):
    """`script` (a file, or Python code when it contains a newline) run under `prelude`'s hook."""
    if "\n" in script:
        body = script
    else:
        body = f"sys.argv = [{script!r}, *{list(args)!r}]\nrunpy.run_path({script!r}, run_name='__main__')\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + body],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def killed_while_writing(output: Path, script: str, *args: str, cwd: Path = REPO, env: dict | None = None, timeout: float = 600):
    """Run `script` and SIGKILL it when it first opens a file in its temporary folder for `output`
    (`.NAME.tmp-*`), past the claim manifest: during its final write. Returns the CompletedProcess,
    whose returncode is -SIGKILL when the kill happened."""
    pattern = rf"^\.{re.escape(Path(output).name)}\.tmp-"
    return _run(_WHILE_WRITING.format(inside=pattern), script, args, cwd, env, timeout)


def killed_renaming_onto(target: Path, script: str, *args: str, cwd: Path = REPO, env: dict | None = None, timeout: float = 600):
    """Run `script` and SIGKILL it just before it renames something onto `target` (os.rename / os.replace)."""
    return _run(_RENAMING_ONTO.format(target=str(target)), script, args, cwd, env, timeout)


KILLED = -signal.SIGKILL
