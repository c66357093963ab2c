"""06_evaluate.py --serve in a real Chromium on 127.0.0.1: two raters vote on every pair of a sheet stage 6
wrote (one reloads half-way, both go on while the server is killed with SIGKILL and restarted), then
--score-ratings reports exactly the votes clicked, and a sheet filled with the same choices scores the same;
the Write view streams the tiny model's answer; bad input is refused on the page with nothing written."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from brandtone.evaluate.ratings import KEY_NAME, SHEET_COLUMNS, SHEET_NAME, VOTES_NAME, read_csv, read_key, write_csv
from tests.helpers.browser import chromium
from tests.helpers.configs import write_config
from tests.helpers.corpus import brand_posts
from tests.helpers.datasets import save_dataset
from tests.helpers.paths import REPO
from tests.helpers.scripts import run_script, stage_module
from tests.helpers.tuned_models import make_other_random_model

TEXTS = 12  # held-out texts, each a continuation pair (base, tuned) and three writing-request pairs (base, prompted, tuned)
PAIRS = TEXTS * 4
KEYS = {"A": "a", "B": "b", "tie": "t", "both_bad": "x"}
BUTTONS = {"A": "#vote-a", "B": "#vote-b", "tie": "#vote-tie", "both_bad": "#vote-both-bad"}
PAIR_KEYS = {"pair", "task", "prompt", "a", "b", "position"}  # what the browser may know of a pair: no system names
SHOW = (
    "() => ({pair: Number(document.getElementById('pair-card').dataset.pair), a: document.getElementById('answer-a').textContent,"
    " b: document.getElementById('answer-b').textContent, progress: document.getElementById('progress-text').textContent,"
    " message: document.getElementById('rate-message').textContent})"
)


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory, tiny_model_dir):
    """Stage 6 run on the tiny model and another random draw of it as the "tuned" one: a 24-pair sheet."""
    work = tmp_path_factory.mktemp("serve")
    texts = brand_posts(42, seed=4)
    save_dataset(work / "dataset", texts[:30], texts[30:])
    make_other_random_model(work / "merged", tiny_model_dir, seed=1)
    config = write_config(
        work, tiny_model_dir, evaluate={"max_new_tokens_cap": 6, "write_max_new_tokens": 8, "bootstrap_samples": 100, "serve_port": 0}
    )
    with contextlib.redirect_stdout(io.StringIO()):
        assert stage_module("06_evaluate.py").main(["--config", str(config)]) == 0
    return work, config


class Server:
    """06_evaluate.py --serve as a user starts it, in its own process."""

    def __init__(self, config: Path, log: Path, *overrides: str):
        self.log = log
        with open(log, "ab") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, str(REPO / "06_evaluate.py"), "--config", str(config), "--serve", *overrides],
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        self.printed = self._read_until("rating page: ", seconds=120)
        self.port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", self.printed).group(1))
        self.url = f"http://127.0.0.1:{self.port}/"

    def _read_until(self, marker: str, seconds: float) -> str:
        deadline, seen = time.monotonic() + seconds, ""
        while time.monotonic() < deadline and self.process.poll() is None:
            if select.select([self.process.stdout], [], [], 0.5)[0]:
                seen += self.process.stdout.readline()
                if marker in seen:
                    return seen + self.process.stdout.readline()  # and the LAN note
        raise AssertionError(f"the server did not start: {seen}{self.log.read_text(errors='replace')[-2000:]}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # Ctrl-C
            self.process.wait(30)
        self.process.stdout.close()


def answers_by_system(eval_dir: Path) -> dict[int, dict]:
    """The test's own unblinding, from the files on disk: pair -> task and each system's text."""
    key = read_key(eval_dir / KEY_NAME)
    return {
        int(row["item"]): {
            "task": key[int(row["item"])]["task"],
            key[int(row["item"])]["a"]: row["continuation_a"],
            key[int(row["item"])]["b"]: row["continuation_b"],
        }
        for row in read_csv(eval_dir / SHEET_NAME, SHEET_COLUMNS)
    }


def decide(rater: str, pair: int, a: str, b: str, truth: dict) -> tuple[str, str]:
    """Each rater's fixed taste, as (button, what it means): Amina likes the tuned continuations and the base answers to
    requests, Bilal the tuned model except on every third pair; both call some pairs a tie or both bad."""
    if a == b:
        return "tie", "tie"  # the two systems wrote the same text: nothing to tell apart
    if pair % 7 == 0:
        return "tie", "tie"
    if rater == "Amina" and pair % 11 == 0:
        return "both_bad", "both_bad"
    systems = [s for s in truth if s != "task"]
    assert {a, b} == {truth[s] for s in systems}
    likes_tuned = truth["task"] == "continue" if rater == "Amina" else pair % 3
    liked = next(s for s in (("tuned", "prompted", "base") if likes_tuned else ("base", "prompted", "tuned")) if s in systems)
    return ("A" if a == truth[liked] else "B"), liked


class Rater:
    """One person in their own browser window (their own storage), voting with keys and clicks by turns."""

    def __init__(self, name: str, page, truth: dict):
        self.name, self.page, self.truth = name, page, truth
        self.clicked: list[tuple[int, str, str]] = []  # (pair, task, what the vote meant)
        self.payloads: list[dict] = []

        async def keep(response):
            if "/api/next" in response.url or "/api/vote" in response.url:
                with contextlib.suppress(Exception):
                    self.payloads.append(json.loads(await response.text()))

        page.on("response", lambda response: asyncio.ensure_future(keep(response)))

    async def open(self, url: str, type_name: bool = True) -> dict:
        await self.page.goto(url, waitUntil="networkidle0")
        await self.page.waitForSelector("body[data-ready]")
        if type_name:
            await self.page.evaluate("() => { document.getElementById('rater').value = '' }")
            await self.page.type("#rater", self.name)
        return await self.start()

    async def start(self) -> dict:
        """Press Start and wait until the page shows what the server answered."""
        response, _ = await asyncio.gather(self.page.waitForResponse(lambda r: "/api/next" in r.url), self.page.click("#start"))
        answer = await response.json()
        await self.page.waitForFunction(
            "(p) => document.getElementById('progress-text').textContent === p", {}, f"{answer['done']} of {answer['total']} rated"
        )
        return await self.page.evaluate(SHOW)

    async def vote(self, count: int, comment_on: int = -1) -> None:
        for _ in range(count):
            shown = await self.page.evaluate(SHOW)
            done = int(shown["progress"].split()[0])
            choice, meaning = decide(self.name, shown["pair"], shown["a"], shown["b"], self.truth[shown["pair"]])
            if done == comment_on:
                await self.page.type("#comment", "sounds like our Instagram")
            if done == 5:  # a double click: the second click lands while the first vote is on its way
                await self.page.evaluate("(s) => { const b = document.querySelector(s); b.click(); b.click() }", BUTTONS[choice])
            elif len(self.clicked) % 2 and done != comment_on:
                await self.page.keyboard.press(KEYS[choice])
            else:
                await self.page.click(BUTTONS[choice])
            await self.page.waitForFunction(
                "(n) => document.getElementById('progress-text').textContent.startsWith(n + ' of')", {}, done + 1
            )
            self.clicked.append((shown["pair"], self.truth[shown["pair"]]["task"], meaning))

    def tally(self) -> Counter:
        return Counter((task, meaning) for _, task, meaning in self.clicked)


def vote_lines(eval_dir: Path) -> list[str]:
    path = eval_dir / VOTES_NAME
    return path.read_text(encoding="utf-8").splitlines() if path.is_file() else []


async def refused_on_the_page(rater: Rater, eval_dir: Path) -> None:
    """A tampered page (unknown pair, oversized comment) gets a message and writes nothing."""
    page, before = rater.page, vote_lines(eval_dir)
    shown = await page.evaluate(SHOW)
    await page.evaluate("() => { document.getElementById('pair-card').dataset.pair = '9999' }")
    await page.click("#vote-a")
    await page.waitForFunction("() => document.getElementById('rate-message').textContent.includes('no pair 9999')")
    await page.evaluate(
        f"() => {{ document.getElementById('pair-card').dataset.pair = '{shown['pair']}';"
        " const c = document.getElementById('comment'); c.removeAttribute('maxlength'); c.value = 'x'.repeat(1001) }"
    )
    await page.click("#vote-b")
    await page.waitForFunction("() => document.getElementById('rate-message').textContent.includes('longer than 1000 characters')")
    await page.evaluate("() => { document.getElementById('comment').value = '' }")
    assert vote_lines(eval_dir) == before and (await page.evaluate(SHOW))["progress"] == shown["progress"]


async def session(evaluated, tmp_path) -> dict:
    work, config = evaluated
    eval_dir = work / "eval"
    truth = answers_by_system(eval_dir)
    assert len(truth) == PAIRS
    server = Server(config, tmp_path / "server.log")
    seen = {"printed": server.printed}
    started = time.monotonic()
    try:
        async with chromium() as browser:
            amina = Rater("Amina", await (await browser.createIncognitoBrowserContext()).newPage(), truth)
            bilal = Rater("Bilal", await (await browser.createIncognitoBrowserContext()).newPage(), truth)
            nobody = await (await browser.createIncognitoBrowserContext()).newPage()
            await nobody.goto(server.url, waitUntil="networkidle0")
            await nobody.click("#start")  # no name typed
            await nobody.waitForFunction("() => document.getElementById('rate-message').textContent.includes('type your name first')")

            first = (await asyncio.gather(amina.open(server.url), bilal.open(server.url)))[0]
            assert first["progress"] == f"0 of {PAIRS} rated"
            await refused_on_the_page(amina, eval_dir)
            half, sixth = PAIRS // 2, PAIRS // 6
            await asyncio.gather(amina.vote(half, comment_on=3), bilal.vote(sixth))

            # Amina reloads half-way: her name comes back from the browser's storage and she goes on where she stopped
            resumed = await amina.open(server.url, type_name=False)
            assert resumed["progress"] == f"{half} of {PAIRS} rated" and resumed["pair"] not in {p for p, _, _ in amina.clicked}
            # the same vote sent twice at once (a double click that got past the page) counts once
            counted = await amina.page.evaluate(
                """(pair) => Promise.all([1, 2].map(() => fetch('/api/vote', {method: 'POST',
                headers: {'Content-Type': 'application/json'}, body: JSON.stringify({rater: 'Amina', pair, choice: 'tie', comment: ''})})
                .then(r => r.json()).then(j => j.counted)))""",
                resumed["pair"],
            )
            assert sorted(counted) == [False, True]
            amina.clicked.append((resumed["pair"], truth[resumed["pair"]]["task"], "tie"))
            await amina.start()
            await asyncio.gather(amina.vote(sixth - 1), bilal.vote(sixth))

            server.kill()  # mid-session: both raters are half-way
            lines_at_kill = len(vote_lines(eval_dir))
            shown = await amina.page.evaluate(SHOW)
            await amina.page.click("#vote-a")
            await amina.page.waitForFunction("() => document.getElementById('rate-message').textContent.includes('cannot be reached')")
            assert len(vote_lines(eval_dir)) == lines_at_kill == len(amina.clicked) + len(bilal.clicked)

            server = Server(config, tmp_path / "server.log", f"evaluate.serve_port={server.port}")
            back = await asyncio.gather(amina.start(), bilal.start())
            assert [b["progress"] for b in back] == [f"{half + sixth} of {PAIRS} rated", f"{2 * sixth} of {PAIRS} rated"]
            assert back[0]["pair"] == shown["pair"]
            await asyncio.gather(amina.vote(PAIRS - half - sixth), bilal.vote(PAIRS - 2 * sixth))
            for rater in (amina, bilal):
                assert await rater.page.evaluate("() => !document.getElementById('done').hidden")
            seen["seconds"] = time.monotonic() - started
            print(f"two raters, {PAIRS} pairs each, through a reload and a kill: {seen['seconds']:.0f} s")

            await amina.page.goto(server.url + "#summary", waitUntil="networkidle0")
            await amina.page.waitForFunction("() => document.querySelectorAll('#summary table').length === 3")
            seen["summary"] = await amina.page.evaluate("() => document.getElementById('summary').innerText")
            seen["payloads"] = amina.payloads + bilal.payloads
    finally:
        server.stop()
    seen.update(amina=amina, bilal=bilal)
    return seen


@pytest.fixture(scope="module")
def rated(evaluated, tmp_path_factory):
    return asyncio.new_event_loop().run_until_complete(session(evaluated, tmp_path_factory.mktemp("session")))


def test_two_raters_vote_on_every_pair_through_a_reload_and_a_kill(evaluated, rated):
    eval_dir = evaluated[0] / "eval"
    amina, bilal = rated["amina"], rated["bilal"]
    assert len(amina.clicked) == len(bilal.clicked) == PAIRS and len({p for p, _, _ in amina.clicked}) == PAIRS
    votes = [json.loads(line) for line in vote_lines(eval_dir)]
    assert len(votes) == 2 * PAIRS  # one line per vote: the double click, the resent vote and the refusals wrote nothing
    assert [v["comment"] for v in votes if v["comment"]] == ["sounds like our Instagram"]
    assert {v["order_seed"] for v in votes if v["rater"] == "Amina"} != {v["order_seed"] for v in votes if v["rater"] == "Bilal"}
    for payload in rated["payloads"]:  # every answer the pages got: progress and texts, never which system wrote which
        assert set(payload) <= {"counted", "rater", "done", "total", "next", "error"}
        assert payload.get("next") is None or set(payload["next"]) == PAIR_KEYS
    assert "rating page: http://127.0.0.1:" in rated["printed"] and "evaluate.serve_host=0.0.0.0" in rated["printed"]


def test_score_ratings_reports_exactly_the_votes_clicked(evaluated, rated, tmp_path):
    work, config = evaluated
    eval_dir = work / "eval"
    result = run_script(
        "06_evaluate.py", "--config", str(config), "--score-ratings", "evaluate.bootstrap_samples=300"
    )  # an override, not a FILE
    assert result.returncode == 0, result.stderr
    section = json.loads((eval_dir / "report.json").read_text(encoding="utf-8"))["human_ratings"]
    assert section["raters"] == ["Amina", "Bilal"] and section["ratings"] == 2 * PAIRS and section["skipped"] == []
    assert section["sources"] == [str(eval_dir / VOTES_NAME)] and section["bootstrap_samples"] == 300
    for rater in (rated["amina"], rated["bilal"]):
        got = Counter()
        for row in section["win_rates"]:
            if row["rater"] == rater.name:
                got.update({(row["task"], meaning): n for meaning, n in row["counts"].items() if n})
        assert got == rater.tally()
    agreement = {a["task"]: a for a in section["agreement"]}
    assert (agreement["continue"]["pairs"], agreement["write"]["pairs"]) == (TEXTS, 3 * TEXTS)
    assert "Agreement between raters" in result.stdout and "## Human ratings" in (eval_dir / "report.md").read_text(encoding="utf-8")
    assert "Per rater" in rated["summary"] and "Amina" in rated["summary"]  # the page's summary view shows the same tables

    # A sheet filled with Amina's choices scores what her votes score
    key = read_key(eval_dir / KEY_NAME)
    meant = {pair: meaning for pair, _, meaning in rated["amina"].clicked}
    sheet = read_csv(eval_dir / SHEET_NAME, SHEET_COLUMNS)
    for row in sheet:
        system_letter = {key[int(row["item"])]["a"]: "A", key[int(row["item"])]["b"]: "B"}
        row["brand_voice_winner"] = system_letter.get(meant[int(row["item"])], meant[int(row["item"])].replace("_", " "))
    write_csv(tmp_path / "amina.csv", SHEET_COLUMNS, sheet)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        stage_module("06_evaluate.py").main(
            ["--config", str(config), "--score-ratings", str(tmp_path / "amina.csv"), "--key", str(eval_dir / KEY_NAME)]
        )
    from_sheet = json.loads((eval_dir / "report.json").read_text(encoding="utf-8"))["human_ratings"]["win_rates"]
    page_rows = [{k: v for k, v in r.items() if k != "rater"} for r in section["win_rates"] if r["rater"] == "Amina"]
    assert [{k: v for k, v in r.items() if k != "rater"} for r in from_sheet if r["rater"] is None] == page_rows


def test_a_damaged_votes_line_is_reported_and_the_others_count(evaluated, rated, tmp_path):
    work, config = evaluated
    votes = work / "eval" / VOTES_NAME
    damaged = tmp_path / VOTES_NAME
    lines = votes.read_text(encoding="utf-8").splitlines()
    damaged.write_text("\n".join(lines[:10] + ['{"rater": "Amina", "pa'] + lines[10:]) + "\n", encoding="utf-8")
    result = run_script("06_evaluate.py", "--config", str(config), "--score-ratings", str(damaged))
    assert result.returncode == 0 and f"{damaged}: line 11 is not valid JSON" in result.stderr
    assert f"{2 * PAIRS} judgments by 2 rater(s)" in result.stdout


def test_the_write_view_streams_the_tuned_models_answer_and_loads_each_model_once(evaluated, tmp_path):
    from brandtone.config import load_config
    from brandtone.evaluate.models import load_model, resolve_models
    from brandtone.evaluate.prompted import FewShotPrompts
    from brandtone.evaluate.writing import chat_tokenizer, request_of
    from brandtone.generation import Decoding, generate
    from brandtone.splits import CHAT_COLUMNS, load_splits
    from brandtone.textformat import chat_prompt_ids, end_ids

    work, config = evaluated
    request = "an Instagram caption for our monsoon pakora offer"
    settings = load_config(config)
    pair = resolve_models(settings)
    tokenizer, decoding = chat_tokenizer(pair), Decoding.for_writing(settings.evaluate)
    train = load_splits(settings.paths.dataset_dir, CHAT_COLUMNS)["train"]
    shown = FewShotPrompts(
        tokenizer,
        [request],
        list(train["text"]),
        [request_of(row, "train") for row in train],
        settings.evaluate.fewshot_examples,
        settings.evaluate.write_max_new_tokens,
        pair.max_positions,
        pair.base,
    )
    prompts = {"tuned": chat_prompt_ids(tokenizer, request), "base": chat_prompt_ids(tokenizer, request), "prompted": shown.prompt_ids[0]}
    expected = {}
    for system, prompt in prompts.items():  # what the writing test's prompts and decoding give for this request
        model = load_model(pair, settings, "base" if system == "prompted" else system)
        ids = generate(
            model,
            [prompt],
            [settings.evaluate.write_max_new_tokens],
            decoding=decoding,
            seed=settings.evaluate.seed,
            batch_tokens=2048,
            eos=end_ids(tokenizer),
            pad=tokenizer.pad_token_id,
        )[0]
        expected[system] = tokenizer.decode(ids, skip_special_tokens=True)
    assert expected["tuned"] != expected["base"] and settings.evaluate.fewshot_examples > 0

    async def write_twice(url: str) -> list[dict]:
        async with chromium() as browser:
            page = await browser.newPage()
            await page.goto(url + "#write", waitUntil="networkidle0")
            await page.waitForSelector("body[data-ready]")
            answers = []
            for compare in (False, True):
                if compare:
                    await page.click("#compare")
                await page.evaluate("() => { document.getElementById('request').value = '' }")
                await page.type("#request", request)
                await page.click("#write-button")
                await page.waitForFunction(f"() => document.querySelectorAll('.written[data-done]').length === {3 if compare else 1}")
                answers.append(
                    await page.evaluate(
                        "() => Object.fromEntries([...document.querySelectorAll('.written')].map(e => [e.dataset.system, e.textContent]))"
                    )
                )
            return answers

    server = Server(config, tmp_path / "server.log")
    try:
        first, second = asyncio.new_event_loop().run_until_complete(write_twice(server.url))
    finally:
        server.stop()
    assert first == {"tuned": expected["tuned"]} and second == expected
    # tuned, then base (which the prompted baseline shares): once each
    assert (tmp_path / "server.log").read_text(encoding="utf-8").count("model loaded from") == 2


def test_bad_input_is_one_line_before_the_server_starts(evaluated, tmp_path):
    work, config = evaluated
    shutil.copytree(work / "eval", tmp_path / "eval")
    (tmp_path / "eval" / SHEET_NAME).unlink()  # a folder from before the sheet, or a sheet moved away
    no_sheet = run_script("06_evaluate.py", "--config", str(config), "--serve", f"paths.eval_dir={tmp_path / 'eval'}")
    assert no_sheet.returncode == 2 and no_sheet.stderr.count("\n") == 1
    assert f"{tmp_path / 'eval' / SHEET_NAME} not found: run 06_evaluate.py first" in no_sheet.stderr
    with socket.socket() as other_program:
        other_program.bind(("127.0.0.1", 0))
        other_program.listen()
        port = other_program.getsockname()[1]
        taken = run_script("06_evaluate.py", "--config", str(config), "--serve", f"evaluate.serve_port={port}")
    assert taken.returncode == 2 and taken.stderr.count("\n") == 1
    assert f"evaluate.serve_port: port {port} on 127.0.0.1 is already in use" in taken.stderr


def test_score_ratings_reads_excel_sheets_and_refuses_others_in_one_line(evaluated, tmp_path):
    """Issue 30: a sheet saved by Excel as "Unicode Text" scores; one with a stray byte is one line, no traceback."""
    work, config = evaluated
    eval_dir = work / "eval"
    key = read_key(eval_dir / KEY_NAME)
    sheet = read_csv(eval_dir / SHEET_NAME, SHEET_COLUMNS)
    for row in sheet:
        row["brand_voice_winner"] = "A" if key[int(row["item"])]["a"] == "tuned" else "B"
    saved = {}
    for delimiter in ("\t", ","):
        text = io.StringIO()
        writer = csv.DictWriter(text, SHEET_COLUMNS, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(sheet)
        saved[delimiter] = text.getvalue()
    unicode_text = tmp_path / "ratings.txt"
    unicode_text.write_bytes(saved["\t"].encode("utf-16"))  # little-endian with its byte-order mark, as Excel saves it
    stray = tmp_path / "stray.csv"
    stray.write_bytes(saved[","].encode("utf-8").replace(b"item,task", b"item,t\xffask"))
    scored = run_script("06_evaluate.py", "--config", str(config), "--score-ratings", str(unicode_text), "--key", str(eval_dir / KEY_NAME))
    assert scored.returncode == 0, scored.stderr
    assert f"| continuation | reads more like the brand | tuned vs base | {TEXTS} | 0 |" in scored.stdout
    refused = run_script("06_evaluate.py", "--config", str(config), "--score-ratings", str(stray), "--key", str(eval_dir / KEY_NAME))
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert "not readable as UTF-8, UTF-16 or Windows-1252" in refused.stderr and '"CSV UTF-8' in refused.stderr
