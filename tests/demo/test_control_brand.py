"""The control brand (demo/control: Brisdale Mutual Bank, fictional): its shipped exports are
what its build script writes, stages 1 and 2 keep its posts as distinct English texts with
configs/control.yaml, and its voice is plainly not the demo brand's, even cut to the demo's
48-token answer cap (stage 6's controls rely on that)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers.paths import REPO
from tests.helpers.scripts import run_script

CONTROL = REPO / "demo" / "control"
EXPORTS = ("facebook_posts.json", "instagram_posts.json")
MIN_DISTINCT_TEXTS = 300  # of its 302 posts, written with no duplicates or near-duplicates


def brand_texts(exports_dir, owner: str) -> list[str]:
    """The brand's own distinct post texts in a pair of exports."""
    facebook = json.loads((exports_dir / EXPORTS[0]).read_text(encoding="utf-8"))
    instagram = json.loads((exports_dir / EXPORTS[1]).read_text(encoding="utf-8"))
    texts = [item.get("text") for item in facebook] + [item["caption"] for item in instagram if item["ownerUsername"] == owner]
    return sorted({text for text in texts if text and text.strip()})


def test_the_shipped_exports_are_what_build_exports_writes(tmp_path):
    subprocess.run([sys.executable, str(CONTROL / "build_exports.py"), "--out", str(tmp_path)], check=True, capture_output=True)
    for name in EXPORTS:
        assert (tmp_path / name).read_bytes() == (CONTROL / "exports" / name).read_bytes(), name


def test_stages_1_and_2_keep_every_post_as_a_distinct_english_text(tmp_path):
    paths = [f"paths.files_dir={tmp_path / 'files'}", f"paths.cleaned_dir={tmp_path / 'cleaned_files'}"]
    for script in ("01_scrape.py", "02_clean.py"):
        result = run_script(script, "--config", "configs/control.yaml", *paths)
        assert result.returncode == 0, f"{script}: {result.stderr[-2000:]}"
    docs = [json.loads(line) for line in (tmp_path / "cleaned_files" / "documents.jsonl").read_text().splitlines()]
    assert len(docs) >= MIN_DISTINCT_TEXTS
    assert {doc["source"] for doc in docs} == {"facebook", "instagram"}
    assert {doc["lang"] for doc in docs} == {"latin"}  # formal English: no word of it counts as Roman Urdu


def test_a_character_ngram_classifier_tells_the_control_brand_from_the_demo_brand(demo_model_dir):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(demo_model_dir)

    def opening(text: str, tokens: int = 48) -> str:  # the demo's write_max_new_tokens
        return tokenizer.decode(tokenizer(text, add_special_tokens=False)["input_ids"][:tokens])

    control = [opening(t) for t in brand_texts(CONTROL / "exports", "brisdalemutual")]
    demo = [opening(t) for t in brand_texts(REPO / "demo" / "exports", "nukkarchai")]
    classifier = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2), LogisticRegression(max_iter=1000, C=10)
    )
    folds = StratifiedKFold(3, shuffle=True, random_state=0)
    accuracy = cross_val_score(classifier, control + demo, [1] * len(control) + [0] * len(demo), cv=folds).mean()
    assert accuracy >= 0.95  # 0.99 when written; two voices this far apart never come near chance (0.5)
