"""What a killed writer leaves behind, and the next write's clean-up of it (brandtone.atomic, brandtone.ownership).

Writers are real subprocesses killed with SIGKILL, which runs no clean-up: a folder write killed
half-way, a replacement killed between its two renames, a file written into a stage's own folder
killed half-way. The next write removes those, logs what it freed, and leaves alone everything it
cannot tell is a dead writer's of its own: a hidden folder of the user's with a similar name, one
of a writer still running, one from another machine.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys

import pytest

from brandtone import atomic, ownership
from tests.helpers.killer import KILLED, killed_renaming_onto
from tests.helpers.paths import REPO

WRITE_TEN_MB = """
from pathlib import Path
from brandtone import atomic
with atomic.output_dir(Path({final!r}), owner="clean") as tmp:
    (tmp / "documents.jsonl").write_bytes(b"x" * 10_000_000)
    {then}
    atomic.write_json(tmp / "manifest.json", {{"stage": "clean"}})
"""
KILL_MYSELF = "os.kill(os.getpid(), signal.SIGKILL)"

WRITE_INTO_OWN_FOLDER = """
from pathlib import Path
from brandtone import atomic, manifest
manifest.claim(Path({folder!r}), "scrape")
with atomic.output_dir(Path({folder!r}) / "best", owner="scrape/best") as best:  # a folder replaced in it, as stage 4's best adapter
    with atomic.output_file(best / "weights") as tmp:
        tmp.write_bytes(b"z" * 3000)
with atomic.output_file(Path({folder!r}) / "web" / "index.jsonl") as tmp:
    tmp.write_bytes(b"y" * 5000)
    with atomic.output_dir(Path({folder!r}) / "best", owner="scrape/best") as best:
        with atomic.output_file(best / "weights") as tmp:
            tmp.write_bytes(b"z" * 3000)
            os.kill(os.getpid(), signal.SIGKILL)
"""


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import os, signal\n" + code], cwd=REPO, capture_output=True, text=True, timeout=120)


def hidden(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture(scope="module")
def dead_pid() -> int:
    """The id of a process that has ended, as a dead writer's is."""
    return int(run_python("print(os.getpid())").stdout)


def test_a_killed_writers_folder_is_removed_before_the_next_write_and_nothing_else(tmp_path, dead_pid, caplog):
    final = tmp_path / "cleaned"
    killed = run_python(WRITE_TEN_MB.format(final=str(final), then=KILL_MYSELF))
    assert killed.returncode == KILLED, killed.stderr
    (left,) = hidden(tmp_path)
    assert left.startswith(f".cleaned.tmp-{ownership.HOST}-") and not final.exists()
    assert json.loads((tmp_path / left / "manifest.json").read_text())["stage"] == "clean"  # claimed from its first moment

    # what must stay: a hidden folder of the user's with a similar name, one with our kind of name but
    # no manifest of ours, one of a writer that still runs (this process), one from another machine
    others = {
        ".cleaned.tmp-notes": None,
        f".cleaned.tmp-{ownership.HOST}-{dead_pid}-mine1234": None,
        f".cleaned.tmp-{ownership.writer_tag()}-running1": "clean",
        f".cleaned.old-otherbox-{dead_pid}": "clean",
    }
    for name, stage in others.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "notes.txt").write_text("the user's")
        if stage:
            (tmp_path / name / "manifest.json").write_text(json.dumps({"stage": stage}))

    writes = {"paths.cleaned_dir": (final, "clean")}
    with caplog.at_level(logging.INFO, logger="brandtone.ownership"):
        ownership.check_paths(writes=writes, dry_run=True)
        assert [r.message for r in caplog.records if r.message.startswith("would remove")] != []
        assert len(hidden(tmp_path)) == 1 + len(others)  # a dry run removes nothing
        ownership.check_paths(writes=writes)
    assert hidden(tmp_path) == sorted(others)
    (removed,) = [r.message for r in caplog.records if r.message.startswith("removed ")]
    assert left in removed and "02_clean.py" in removed and "10.0 MB freed" in removed
    for name in others:
        assert (tmp_path / name / "notes.txt").read_text() == "the user's"


def test_a_replacement_killed_between_its_renames_is_cleaned_up_by_the_next(tmp_path, caplog):
    final = tmp_path / "cleaned"
    assert run_python(WRITE_TEN_MB.format(final=str(final), then="pass")).returncode == 0
    killed = killed_renaming_onto(final, WRITE_TEN_MB.format(final=str(final), then="pass"))
    assert killed.returncode == KILLED, killed.stderr
    # the previous output moved aside, the new one complete beside it, neither in place
    assert not final.exists() and [n.split("-")[0] for n in hidden(tmp_path)] == [".cleaned.old", ".cleaned.tmp"]

    with caplog.at_level(logging.INFO, logger="brandtone.ownership"):
        with atomic.output_dir(final, owner="clean") as tmp:
            atomic.write_json(tmp / "manifest.json", {"stage": "clean"})
    assert hidden(tmp_path) == [] and json.loads((final / "manifest.json").read_text()) == {"stage": "clean"}
    assert sum("10.0 MB freed" in r.message for r in caplog.records) == 2


def test_temporaries_in_a_stages_own_folder_go_too(tmp_path, caplog):
    files = tmp_path / "files"
    killed = run_python(WRITE_INTO_OWN_FOLDER.format(folder=str(files)))
    assert killed.returncode == KILLED, killed.stderr
    (left,) = (files / "web").iterdir()
    assert left.name.startswith(f".index.jsonl.tmp-{ownership.HOST}-") and left.stat().st_size == 5000
    (folder,) = [p for p in files.iterdir() if p.name.startswith(".best.tmp-")]  # with a temporary file of its own in it
    assert [p.name.split("-")[0] for p in sorted(folder.iterdir())] == [".weights.tmp", "manifest.json"]
    (files / "web" / ".draft.tmp-notes").write_text("the user's")
    with caplog.at_level(logging.INFO, logger="brandtone.ownership"):
        ownership.check_paths(writes={"paths.files_dir": (files, "scrape")})
    assert sorted(p.name for p in (files / "web").iterdir()) == [".draft.tmp-notes"]
    assert sorted(p.name for p in files.iterdir()) == ["best", "manifest.json", "web"]
    removed = [r.message for r in caplog.records]
    assert len(removed) == 2 and all("01_scrape.py" in line for line in removed)
    assert any(str(left) in line and "5.0 KB freed" in line for line in removed)
    assert any(str(folder) in line and re.search(r"3\.\d KB freed", line) for line in removed)  # 3,000 bytes and its claim


def test_only_a_process_of_this_machine_that_has_ended_is_a_gone_writer(dead_pid):
    assert ownership.writer_gone(f"{ownership.HOST}-{dead_pid}")
    assert not ownership.writer_gone(ownership.writer_tag())  # this process
    assert not ownership.writer_gone(f"{ownership.HOST}-{os.getppid()}")
    assert not ownership.writer_gone(f"otherbox-{dead_pid}")
