"""Running the numbered stage scripts: as a user does (a subprocess), or in-process (their main(argv), imported once)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.paths import REPO


def run_script(script: str, *args: str, cwd: Path = REPO, env: dict | None = None, timeout: float = 900):
    """Run a numbered stage script as a user would; returns the CompletedProcess."""
    return subprocess.run(
        [sys.executable, str(REPO / script), *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


_modules: dict[str, object] = {}


def stage_module(script: str):
    """A numbered script imported once as a module (its file name starts with a digit, so not by `import`)."""
    if script not in _modules:
        name = "stage_" + script.removesuffix(".py")
        spec = importlib.util.spec_from_file_location(name, REPO / script)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        _modules[script] = module
    return _modules[script]


def stage_main(script: str):
    """The `main(argv)` of a numbered script, to call in-process (imports are paid once)."""
    return stage_module(script).main
