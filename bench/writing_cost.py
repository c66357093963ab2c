"""What does stage 6's writing test cost on the demo (SmolLM2-135M-Instruct, configs/demo.yaml, CPU)?

Runs `brandtone.evaluate.writing.WritingTest` as 06_evaluate.py does, on a few of the demo's
own posts (demo/exports, with stage 3's keyword requests) and the demo model in every role
(no tuned demo model is needed to time it: the cost is the tokens generated): the base model
and the prompted baseline (the base model with demo.yaml's evaluate.fewshot_examples nearest
posts in its prompt). Prints the seconds of each part and the new tokens per second, and the
extrapolation to the demo's size (--test held-out requests answered by base, prompted and
tuned), once as measured (answers that stop at end-of-turn) and once with every answer
running to write_max_new_tokens (a tuned model that does not stop).

    python bench/writing_cost.py --docs 6
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

REPO = Path(__file__).resolve().parent.parent


def demo_posts() -> list[dict]:
    posts = []
    for name, field in (("facebook_posts.json", "text"), ("instagram_posts.json", "caption")):
        for row in json.loads((REPO / "demo" / "exports" / name).read_text(encoding="utf-8")):
            if (row.get(field) or "").strip():
                posts.append({"id": f"{name}:{len(posts)}", "text": row[field].strip(), "source": name.split("_")[0]})
    return posts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=6, help="held-out requests to time")
    parser.add_argument("--test", type=int, default=36, help="the demo's held-out documents, for the extrapolation")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    log = logging.getLogger("bench")

    from datasets import Dataset

    from brandtone.config import load_config
    from brandtone.dataset.requests import build_requests
    from brandtone.evaluate.models import ModelPair
    from brandtone.evaluate.writing import WritingTest
    from brandtone.models import fit_embeddings, load_causal_lm, load_tokenizer
    from brandtone.textformat import conversation

    config = load_config(REPO / "configs" / "demo.yaml", ["evaluate.device=cpu", "evaluate.control_dataset=null"])
    ev, base = config.evaluate, config.model.base
    posts = demo_posts()
    requests = build_requests(posts, seed=42, max_shared_words=4, brand_name=config.brand.name)
    rows = [{**p, "url": "", "messages": conversation(requests.by_id[p["id"]], p["text"])} for p in posts]
    test, train = Dataset.from_list(rows[: args.docs]), Dataset.from_list(rows[args.docs :])
    pair = ModelPair(base, "merged", Path(base), load_tokenizer(base), 8192)
    writing = WritingTest(config, pair, train, test)
    model = load_causal_lm(base, dtype=__import__("torch").float32, device="cpu").eval()
    fit_embeddings(model, pair.tokenizer)
    started = time.time()
    result = writing.run("base", model, log)  # the base model's systems: base and prompted
    seconds = time.time() - started
    answers = [a for system in result.values() for a in system["answers"]]
    new = sum(len(writing.tokenizer(a, add_special_tokens=False)["input_ids"]) for a in answers)
    per_answer = seconds / len(answers)
    demo_answers = len(writing.systems) * args.test  # every system answers every held-out request
    rate = new / sum(system["seconds"]["generation"] for system in result.values())
    print(
        json.dumps(
            {
                "docs": args.docs,
                "systems": list(result),
                "seconds": {name: system["seconds"] for name, system in result.items()},
                "total_s": round(seconds, 1),
                "new_tokens": new,
                "mean_answer_tokens": round(new / len(answers), 1),
                "tokens_per_s": round(rate, 1),
                "demo_answers": demo_answers,
                "demo_estimate_s_as_measured": round(per_answer * demo_answers, 1),
                "demo_estimate_s_all_to_cap": round(demo_answers * ev.write_max_new_tokens / rate, 1),
                "samples": {name: system["answers"][:2] for name, system in result.items()},
            },
            ensure_ascii=False,
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
