"""The rating page's votes: eval/votes.jsonl, one JSON line per vote, appended and fsync'ed the moment it is cast.

- Each rater sees every sheet item once, in an order and with sides shuffled by a seed drawn from
  evaluate.seed and the rater's name; the seed, the position and the systems behind A and B go into each
  vote line, so a vote can be unblinded (and checked) without the page.
- One line is written with one `write` on a file opened for appending, under a lock: two raters at once
  never overwrite each other, and a server killed with SIGKILL loses at most a vote whose answer the
  browser never got. A second vote by the same rater on the same pair (a double click, a resent request)
  is answered as already counted and not written.
- Reading back, a damaged line (a torn write, a hand edit) is reported with its line number and skipped;
  the other votes count.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from brandtone.evaluate.human_scores import CHOICES, Rating
from brandtone.evaluate.ratings import KEY_NAME, SHEET_COLUMNS, SHEET_NAME, TASKS, read_csv, read_key
from brandtone.jsonl import BadLine, iter_jsonl

PAGE_CRITERION = "brand_voice_winner"  # the one question the page asks of every pair
RATER_MAX_CHARS = 60
COMMENT_MAX_CHARS = 1000
VOTE_FIELDS = {"rater": str, "pair": int, "task": str, "criterion": str, "a": str, "b": str, "choice": str}


class VoteRefused(ValueError):
    """A vote the page must show as refused (nothing was written): the message says why."""


@dataclass(frozen=True)
class Pair:
    """One sheet item as the server holds it: the texts in the sheet's order and the systems behind them."""

    item: int
    task: str
    prompt: str
    texts: tuple[str, str]
    systems: tuple[str, str]


def load_pairs(eval_dir: Path) -> list[Pair]:
    """The sheet and its key; raises StageError naming what is missing."""
    sheet = read_csv(eval_dir / SHEET_NAME, SHEET_COLUMNS)
    key = read_key(eval_dir / KEY_NAME)
    pairs = []
    for row in sheet:
        item = int(row["item"])
        if item in key and key[item]["task"] in TASKS:
            pairs.append(
                Pair(
                    item, key[item]["task"], row["prompt"], (row["continuation_a"], row["continuation_b"]), (key[item]["a"], key[item]["b"])
                )
            )
    return pairs


def rater_name(raw: object) -> str:
    """The name as the page shows it: inner spaces collapsed; one rater whatever the letter case."""
    return " ".join(str(raw or "").split())


def rater_seed(name: str, seed: int) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}\0{name.casefold()}".encode()).digest()[:4], "big")


@dataclass(frozen=True)
class Shown:
    """A pair as one rater sees it: its place in their order, and whether its sides are swapped."""

    pair: Pair
    position: int  # 1-based
    swapped: bool

    @property
    def systems(self) -> tuple[str, str]:
        return self.pair.systems[::-1] if self.swapped else self.pair.systems

    def for_browser(self) -> dict:
        """What the page gets: the texts only, never which system wrote them."""
        a, b = self.pair.texts[::-1] if self.swapped else self.pair.texts
        return {"pair": self.pair.item, "task": self.pair.task, "prompt": self.pair.prompt, "a": a, "b": b, "position": self.position}


def rater_order(pairs: list[Pair], seed: int) -> list[Shown]:
    rng = np.random.default_rng(seed)
    order, swaps = rng.permutation(len(pairs)), rng.random(len(pairs)) < 0.5
    return [Shown(pairs[i], position, bool(swaps[i])) for position, i in enumerate(order, start=1)]


def read_votes(path: Path) -> tuple[list[dict], list[str]]:
    """The votes of a votes file, and one line per problem (damaged line, second vote on a pair) that was skipped."""
    votes, problems, seen = [], [], {}
    if not path.is_file():
        return votes, problems
    for entry in iter_jsonl(path):
        if isinstance(entry, BadLine):
            problems.append(f"{entry}; skipped, the other votes count")
            continue
        number, vote = entry
        wrong = [name for name, kind in VOTE_FIELDS.items() if not isinstance(vote.get(name), kind)]
        if wrong or vote["choice"] not in CHOICES or not rater_name(vote["rater"]):
            what = ", ".join(wrong) or "choice or rater"
            problems.append(f"{path}: line {number} is not a vote (bad or missing {what}); skipped, the other votes count")
            continue
        first = seen.setdefault((vote["rater"].casefold(), vote["pair"]), number)
        if first != number:
            problems.append(f"{path}: line {number} is a second vote of {vote['rater']} on pair {vote['pair']}; line {first} counts")
            continue
        votes.append(vote)
    return votes, problems


def vote_ratings(votes: list[dict]) -> list[Rating]:
    display = {}
    for v in votes:
        display.setdefault(v["rater"].casefold(), v["rater"])
    return [Rating(display[v["rater"].casefold()], v["pair"], v["task"], v["criterion"], v["a"], v["b"], v["choice"]) for v in votes]


class VoteBook:
    """The votes file of one server: who voted on what (read once at start), and every new vote appended to it."""

    def __init__(self, path: Path, pairs: list[Pair], seed: int):
        self.path, self.seed = path, seed
        self.pairs = {p.item: p for p in pairs}
        votes, self.problems = read_votes(path)
        self._voted: dict[str, set[int]] = {}
        for vote in votes:
            self._voted.setdefault(vote["rater"].casefold(), set()).add(vote["pair"])
        self._lock = threading.Lock()
        self._orders: dict[str, list[Shown]] = {}
        if path.is_file() and path.stat().st_size and not path.read_bytes().endswith(b"\n"):
            self._append(b"\n")  # a torn last line stays a line of its own, reported; the next vote starts clean

    def order(self, name: str) -> list[Shown]:
        name = rater_name(name)
        key = name.casefold()
        if key not in self._orders:
            self._orders[key] = rater_order(list(self.pairs.values()), rater_seed(name, self.seed))
        return self._orders[key]

    def progress(self, raw_name: object) -> dict:
        """For the page: how far the rater is, and the next pair they have not voted on (None when done)."""
        name = self._checked_name(raw_name)
        voted = self._voted.get(name.casefold(), set())
        upcoming = next((s for s in self.order(name) if s.pair.item not in voted), None)
        return {
            "rater": name,
            "done": len(voted & set(self.pairs)),
            "total": len(self.pairs),
            "next": upcoming.for_browser() if upcoming else None,
        }

    def cast(self, raw_name: object, pair_id: object, choice: object, comment: object) -> bool:
        """Write one vote, or raise VoteRefused; False when the rater had already voted on this pair (nothing written)."""
        name = self._checked_name(raw_name)
        if isinstance(pair_id, bool) or not isinstance(pair_id, int) or pair_id not in self.pairs:
            raise VoteRefused(f"there is no pair {pair_id!r} on this sheet: reload the page")
        if choice not in CHOICES:
            raise VoteRefused(f"{choice!r} is not a vote: choose A, B, tie or both bad")
        comment = "" if comment is None else comment
        if not isinstance(comment, str) or len(comment) > COMMENT_MAX_CHARS:
            raise VoteRefused(f"the comment is longer than {COMMENT_MAX_CHARS} characters: shorten it")
        shown = next(s for s in self.order(name) if s.pair.item == pair_id)
        a, b = shown.systems
        line = {
            "rater": name,
            "pair": pair_id,
            "task": shown.pair.task,
            "criterion": PAGE_CRITERION,
            "a": a,
            "b": b,
            "choice": choice,
            "comment": comment.strip(),
            "position": shown.position,
            "order_seed": rater_seed(name, self.seed),
            "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        with self._lock:
            voted = self._voted.setdefault(name.casefold(), set())
            if pair_id in voted:
                return False
            self._append((json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"))
            voted.add(pair_id)
        return True

    def _checked_name(self, raw: object) -> str:
        name = rater_name(raw)
        if not name:
            raise VoteRefused("type your name first, so your votes count as yours")
        if len(name) > RATER_MAX_CHARS:
            raise VoteRefused(f"the name is longer than {RATER_MAX_CHARS} characters: shorten it")
        return name

    def _append(self, data: bytes) -> None:
        created = not self.path.exists()
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        if created:  # the new file's name is durable too
            folder = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
