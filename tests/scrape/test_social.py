"""Stage 1, social posts: the real apify-client against a fake Apify API on 127.0.0.1,
and the import of Apify console exports when no token is set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brandtone.config import load_config
from brandtone.errors import StageError
from brandtone.scrape.social import ActorJob, actor_jobs, apify_client, import_exports, run_actor
from tests.helpers.fake_apify import FakeActor, FakeApify, serve_fake_apify
from tests.helpers.paths import REPO
from tests.helpers.scripts import run_script

TOKEN = "apify_api_TESTsecret0123456789xyz"
FACEBOOK_ACTOR, INSTAGRAM_ACTOR = "apify/facebook-posts-scraper", "apify/instagram-scraper"
PLANTED = json.loads((REPO / "demo" / "planted.json").read_text(encoding="utf-8"))


def facebook_items(count: int) -> list[dict]:
    return [
        {
            "facebookUrl": "https://www.facebook.com/nukkarchai",
            "postId": f"10{i:04d}",
            "pageName": "nukkarchai",
            "url": f"https://www.facebook.com/nukkarchai/posts/10{i:04d}",
            "time": "2026-11-20T10:54:54.000Z",
            "timestamp": 1795172094,
            "text": f"Chai number {i} ☕ #NukkarChai",
        }
        for i in range(count)
    ]


def instagram_items(count: int) -> list[dict]:
    return [
        {
            "id": f"31{i:04d}",
            "shortCode": f"Cs{i:04d}",
            "caption": f"Garma garam {i} 🫖",
            "ownerUsername": "nukkarchai",
            "url": f"https://www.instagram.com/p/Cs{i:04d}/",
            "timestamp": "2026-11-01T08:00:00.000Z",
        }
        for i in range(count)
    ]


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def scrape(files: Path, *overrides: str, token: str = TOKEN, api_url: str = "http://127.0.0.1:9"):
    """01_scrape.py on the demo config, social posts only (no website)."""
    return run_script(
        "01_scrape.py",
        "--config",
        "configs/demo.yaml",
        "brand.website=null",
        f"paths.files_dir={files}",
        f"scrape.apify_api_url={api_url}",
        *overrides,
        env={"APIFY_TOKEN": token},
        timeout=120,
    )


def assert_token_nowhere(result, files: Path) -> None:
    assert TOKEN not in result.stdout and TOKEN not in result.stderr
    for path in files.rglob("*") if files.exists() else []:
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path


def one_error_line(result) -> str:
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if " ERROR " in line]
    assert len(errors) == 1, result.stderr
    return errors[0]


# --------------------------------------------------------------------------- Apify runs


def test_actor_runs_page_through_every_item_and_rerun_is_idempotent(tmp_path):
    fake = FakeApify(
        TOKEN, {FACEBOOK_ACTOR: FakeActor(facebook_items(7)), INSTAGRAM_ACTOR: FakeActor(instagram_items(5))}, page_size=3
    )  # the server hands out at most 3 items a page
    files = tmp_path / "files"
    with serve_fake_apify(fake) as api_url:
        first = scrape(files, api_url=api_url)
        runs_after_first = len(fake.runs)
        second = scrape(files, api_url=api_url)
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr

    assert read_jsonl(files / "facebook" / "nukkarchai.jsonl") == facebook_items(7)  # verbatim, in order
    assert read_jsonl(files / "instagram" / "nukkarchai.jsonl") == instagram_items(5)
    item_pages = [r for r in fake.requests if r["path"].endswith("/items")]
    assert len(item_pages) >= 2 * 3 and all(r["authorized"] for r in fake.requests)

    inputs = {run["actor"]: run["input"] for run in fake.runs.values()}
    assert inputs[FACEBOOK_ACTOR]["startUrls"] == [{"url": "https://www.facebook.com/nukkarchai"}]
    assert inputs[INSTAGRAM_ACTOR] == {"directUrls": ["https://www.instagram.com/nukkarchai/"], "resultsType": "posts", "resultsLimit": 500}

    index = read_jsonl(files / "posts_index.jsonl")
    assert len(index) == 12
    assert index[0] == {
        "source": "facebook",
        "id": "100000",
        "url": "https://www.facebook.com/nukkarchai/posts/100000",
        "timestamp": "2026-11-20T10:54:54.000Z",
        "owner": "nukkarchai",
        "file": "facebook/nukkarchai.jsonl",
        "line": 1,
    }
    assert index[-1]["source"] == "instagram" and index[-1]["id"] == "310004" and index[-1]["line"] == 5

    manifest = json.loads((files / "manifest.json").read_text())
    assert manifest["counts"]["facebook_items"] == 7 and manifest["posts_from"] == "apify"
    assert runs_after_first == 2 and len(fake.runs) == 2  # the rerun started no actor
    assert len(read_jsonl(files / "posts_index.jsonl")) == 12
    assert_token_nowhere(first, files)
    assert_token_nowhere(second, files)


def test_large_run_input_arrives_intact_through_gzip():
    # the client gzips request bodies from 1 KB on; the run input must reach the actor unchanged
    fake = FakeApify(TOKEN, {FACEBOOK_ACTOR: FakeActor(facebook_items(1))})
    big_input = {"startUrls": [{"url": f"https://www.facebook.com/nukkarchai-branch-{i}"} for i in range(60)], "resultsLimit": 5}
    with serve_fake_apify(fake) as api_url:
        config = load_config(REPO / "configs" / "demo.yaml", [f"scrape.apify_api_url={api_url}"])
        batch = run_actor(apify_client(config, TOKEN), ActorJob("facebook", FACEBOOK_ACTOR, "x", "x", big_input), config)
    assert batch.items == facebook_items(1)
    start = next(r for r in fake.requests if r["method"] == "POST")
    assert start["gzip"] and next(iter(fake.runs.values()))["input"] == big_input


def test_dates_in_yaml_reach_the_actor_as_text(tmp_path):
    config = load_config(REPO / "configs" / "demo.yaml", ["scrape.only_posts_newer_than=2026-01-01"])
    assert {job.run_input["onlyPostsNewerThan"] for job in actor_jobs(config)} == {"2026-01-01"}


def test_failed_run_is_one_clear_line_and_keeps_the_finished_runs(tmp_path):
    fake = FakeApify(
        TOKEN, {FACEBOOK_ACTOR: FakeActor(facebook_items(2)), INSTAGRAM_ACTOR: FakeActor([], "FAILED", "Instagram blocked the scraper")}
    )
    files = tmp_path / "files"
    with serve_fake_apify(fake) as api_url:
        result = scrape(files, api_url=api_url)
    assert result.returncode == 1
    line = one_error_line(result)
    run_id = next(run["id"] for run in fake.runs.values() if run["actor"] == INSTAGRAM_ACTOR)
    assert f"Apify run {run_id} of {INSTAGRAM_ACTOR} on nukkarchai ended FAILED (Instagram blocked the scraper)" in line
    assert read_jsonl(files / "facebook" / "nukkarchai.jsonl") == facebook_items(2)  # the finished run is kept
    assert not (files / "instagram").exists()
    assert json.loads((files / "manifest.json").read_text())["complete"] is False  # only stage 1's claim: unfinished
    assert_token_nowhere(result, files)


def test_a_rejected_token_stops_the_stage_before_files_is_claimed(tmp_path):
    fake = FakeApify("the-right-token-is-different", {FACEBOOK_ACTOR: FakeActor(facebook_items(2))})
    files = tmp_path / "files"
    with serve_fake_apify(fake) as api_url:
        result = scrape(files, api_url=api_url)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "config error: APIFY_TOKEN: Apify rejected it (HTTP 401: Authentication token is not valid.) at the token check"
        " (GET /v2/users/me): export a valid token (Apify console > Settings > API & Integrations), or unset it to import"
        " scrape.import_dir"
    ]
    assert [(r["method"], r["path"]) for r in fake.requests] == [("GET", "/v2/users/me")]  # checked once, no actor started
    assert not files.exists()  # nothing claimed, nothing written
    assert_token_nowhere(result, tmp_path)


def test_dry_run_starts_no_actor(tmp_path):
    fake = FakeApify(TOKEN, {FACEBOOK_ACTOR: FakeActor([]), INSTAGRAM_ACTOR: FakeActor([])})
    with serve_fake_apify(fake) as api_url:
        result = scrape(tmp_path / "files", "--dry-run", api_url=api_url)
    assert result.returncode == 0, result.stderr
    assert f"actor {FACEBOOK_ACTOR} for https://www.facebook.com/nukkarchai" in result.stdout
    assert fake.requests == [] and not (tmp_path / "files").exists()
    assert_token_nowhere(result, tmp_path)


# --------------------------------------------------------------------------- exports (no token)


def test_demo_exports_import_verbatim_and_idempotently(tmp_path):
    files = tmp_path / "files"
    first = scrape(files, token="")
    second = scrape(files, token="")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    for source, export in (("facebook", "facebook_posts.json"), ("instagram", "instagram_posts.json")):
        shipped = json.loads((REPO / "demo" / "exports" / export).read_text(encoding="utf-8"))
        saved = read_jsonl(files / source / f"{Path(export).stem}.jsonl")
        assert saved == shipped and len(saved) == PLANTED["counts"][source]["items"]
    index = read_jsonl(files / "posts_index.jsonl")
    total = PLANTED["counts"]["facebook"]["items"] + PLANTED["counts"]["instagram"]["items"]
    assert len(index) == total  # not doubled by the second run
    errors = [row for row in index if row["source"] == "facebook" and row["id"] is None]
    assert len(errors) == PLANTED["counts"]["facebook"]["error_items"]  # error items kept, with their url
    assert all(row["url"] for row in errors)
    assert {row["owner"] for row in index if row["source"] == "instagram"} >= {PLANTED["brand"]["instagram_owner"]}
    assert json.loads((files / "manifest.json").read_text())["posts_from"] == "exports"
    written = next(line for line in first.stdout.splitlines() if line.startswith("written: "))
    assert f"written: {files}/ (manifest.json, posts_index.jsonl)" in written  # brand.website is null: no web/index.jsonl
    assert not (files / "web").exists()


BAD_EXPORTS = {
    "not-json": ("posts.json", '[{"postId": "1", "facebookUrl": "x"},\n  {"postId": oops}]', "posts.json: not valid JSON (line 2"),
    "bad-jsonl": ("posts.jsonl", '{"shortCode": "a", "ownerUsername": "b"}\nnot json at all\n', "posts.jsonl: line 2 is not valid JSON"),
    "missing-fields": (
        "posts.json",
        json.dumps(facebook_items(3)[:2] + [{"text": "who am I?"}]),
        "posts.json: item [2] has none of the fields of a Facebook post (postId, facebookUrl)",
    ),
    "not-an-object": ("posts.json", json.dumps([*instagram_items(1), "a string"]), "posts.json: item [1] is not a JSON object"),
    "mixed-sources": (
        "posts.json",
        json.dumps(facebook_items(1) + instagram_items(1)),
        "posts.json: holds both Facebook and Instagram posts (item [0]: facebook, item [1]: instagram)",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_EXPORTS))
def test_bad_export_is_an_error_naming_file_and_item(case, tmp_path):
    name, content, message = BAD_EXPORTS[case]
    (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(StageError) as error:
        import_exports(tmp_path)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_bad_export_stops_the_stage_before_anything_is_written(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "a_good.json").write_text(json.dumps(facebook_items(2)), encoding="utf-8")
    (exports / "b_bad.json").write_text("<html>this is not an export</html>", encoding="utf-8")
    files = tmp_path / "files"
    result = scrape(files, f"scrape.import_dir={exports}", token="")
    assert result.returncode == 1
    line = one_error_line(result)
    assert f"{exports / 'b_bad.json'}: line 1 is not valid JSON" in line
    assert not files.exists()
