"""Stage 3: turn the cleaned documents into a leak-free Hugging Face DatasetDict.

Reads   cleaned_files/ (stage 2): documents.jsonl and manifest.json; the tokenizer of
        model.base (only to measure token lengths).
Writes  dataset/: DatasetDict.save_to_disk with splits train and test, columns text,
        source, url, date, lang, cluster, messages (a writing request and the document
        as a user/assistant conversation); train.jsonl and test.jsonl copies for reading;
        manifest.json with rows per split and source, token-length percentiles, request
        counts and examples, and the leakage check. The folder is replaced whole, or not at all. With
        dataset.push_to_hub, also pushes it (private) to dataset.hub_repo_id using HF_TOKEN.
Assumes every document's duplicates were already removed by stage 2 (its cluster).

    python 03_build_dataset.py --config configs/demo.yaml [dataset.test_size=0.2]

Steps: read -> requests (dataset.requests: keywords, or the base model writes them)
-> group (stage 2 clusters, merged where texts are still near-duplicates)
-> split whole groups, seeded and stratified by source -> check no text is on both
sides -> token lengths in the training format -> write (-> push).
"""

from __future__ import annotations

import time
from collections import Counter

from brandtone import atomic, cli, ownership
from brandtone.config import ConfigError
from brandtone.credentials import get_secret
from brandtone.dataset import requests as dataset_requests
from brandtone.dataset.split import group_documents, leakage, percentiles, split_groups
from brandtone.dedup import NearDuplicateRule
from brandtone.errors import StageError
from brandtone.jsonl import read_jsonl
from brandtone.manifest import build_manifest, write_manifest
from brandtone.models import check_model_source, load_tokenizer
from brandtone.splits import SPLITS
from brandtone.textformat import conversation, encode_document

COLUMNS = ("text", "source", "url", "date", "lang", "cluster", "messages")


def main(argv=None) -> int:
    config, args, log = cli.start("dataset", __doc__, None, argv, sections=("paths", "clean", "dataset", "model", "finetune"))
    cleaned_dir, out_dir, settings = config.paths.cleaned_dir, config.paths.dataset_dir, config.dataset
    ownership.check_paths(
        reads={"paths.cleaned_dir": (cleaned_dir, "clean")}, writes={"paths.dataset_dir": (out_dir, "dataset")}, dry_run=args.dry_run
    )
    check_model_source(config.model.base)
    if args.dry_run:
        cli.print_plan(config, ("dataset", "model"), {"cleaned": cleaned_dir, "tokenizer": config.model.base}, {"dataset": out_dir})
        return 0
    started = time.time()
    token = get_secret("HF_TOKEN") if settings.push_to_hub else None
    if settings.push_to_hub and not token:
        raise ConfigError(
            f"dataset.push_to_hub is true but HF_TOKEN is not set: export HF_TOKEN=<a write token for {settings.hub_repo_id}> or set dataset.push_to_hub=false"
        )

    # 1. Read the cleaned documents (stage 2's manifest, checked above, says they are complete).
    docs = read_documents(cleaned_dir / "documents.jsonl")
    if len(docs) < 2:
        raise StageError(
            f"{cleaned_dir / 'documents.jsonl'} has {len(docs)} document(s): a train/test split needs at least 2; add sources or relax clean.* filters"
        )
    tokenizer = load_tokenizer(config.model.base, config.model)

    # 2. A writing request for every document, kept beside its text as a user/assistant conversation.
    requests = dataset_requests.make_requests(docs, config)
    for doc in docs:
        doc["messages"] = conversation(requests.by_id[doc["id"]], doc["text"])

    # 3. Group, then split whole groups so no duplicate cluster spans train and test.
    rule = NearDuplicateRule.of(config.clean)
    group_of, pairs = group_documents(docs, rule)
    merged = len({d["cluster"] for d in docs}) - len(set(group_of.values()))
    if merged:
        log.info("%d stage-2 clusters were still near-duplicates of another and go to one split together", merged)
    split_of = split_groups(docs, group_of, settings.test_size, settings.seed, settings.stratify_by_source)
    check = leakage(docs, split_of, pairs)
    if check["exact_texts_in_both_splits"] or check["near_duplicate_pairs_across_splits"]:
        raise StageError(f"leakage check failed after the grouped split ({check}): this is a bug, please report it with {cleaned_dir}")
    rows = {split: [] for split in SPLITS}
    for doc in docs:
        rows[split_of[doc["id"]]].append({**{c: doc.get(c) for c in COLUMNS}, "cluster": group_of[doc["id"]]})

    # 4. Token lengths in exactly the format training uses (leading specials + text + end-of-text).
    lengths = {split: [len(encode_document(tokenizer, row["text"])) for row in rows[split]] for split in SPLITS}
    summary = {
        "rows": {split: len(rows[split]) for split in SPLITS},
        "rows_by_source": {split: dict(sorted(Counter(r["source"] for r in rows[split]).items())) for split in SPLITS},
        "token_lengths": {split: percentiles(lengths[split]) for split in SPLITS},
        "documents_longer_than_finetune_max_length": sum(n > config.finetune.max_length for split in SPLITS for n in lengths[split]),
        "tokenizer": config.model.base,
        "requests": dataset_requests.summary(requests, rows["train"] + rows["test"], config),
    }
    print_summary(summary, check)

    # 5. Write the DatasetDict, JSONL copies and the manifest as one folder; push if asked.
    dataset = to_dataset_dict(rows)
    with atomic.output_dir(out_dir, owner="dataset") as tmp:
        dataset.save_to_disk(str(tmp))
        for split in SPLITS:
            atomic.write_jsonl(tmp / f"{split}.jsonl", rows[split])
        write_manifest(
            tmp,
            build_manifest(
                stage="dataset",
                config=config,
                sections=("brand", "dataset", "model"),
                inputs={"cleaned": cleaned_dir},
                counts=summary,
                started_at=started,
                extra={
                    "leakage_check": {
                        "rule": rule.describe(),
                        "method": "exact text + exact 5-gram sets on candidates from MinHash LSH and a 5-gram inverted index (brandtone.dedup)",
                        "near_duplicate_pairs_total": len(pairs),
                        "clusters_merged": merged,
                        **check,
                    }
                },
            ),
        )
    log.info("wrote %s: %d train / %d test rows", out_dir, len(rows["train"]), len(rows["test"]))
    if settings.push_to_hub:
        push(dataset, settings.hub_repo_id, token)
        log.info("pushed to the Hub as %s (private)", settings.hub_repo_id)
    return 0


def read_documents(path) -> list[dict]:
    docs = []
    for number, doc in read_jsonl(path, "rerun 02_clean.py"):
        missing = [key for key in ("id", "text", "source", "cluster") if not doc.get(key)]
        if missing:
            raise StageError(f"{path}: line {number} lacks {', '.join(missing)}: rerun 02_clean.py")
        docs.append(doc)
    return docs


def to_dataset_dict(rows: dict[str, list[dict]]):
    from datasets import Dataset, DatasetDict, Features, Value
    from datasets.utils.logging import disable_progress_bar

    disable_progress_bar()  # one bar per shard and split says nothing the summary doesn't

    features = Features({column: Value("string") for column in COLUMNS if column != "messages"})
    features["messages"] = [{"role": Value("string"), "content": Value("string")}]
    return DatasetDict({split: Dataset.from_list(rows[split], features=features) for split in SPLITS})


def push(dataset, repo_id: str, token: str) -> None:
    try:
        dataset.push_to_hub(repo_id, private=True, token=token)
    except Exception as exc:  # the Hub client raises many types; the saved folder is already complete
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise StageError(f"push to {repo_id} failed ({first}); the dataset is saved locally, rerun to retry the push") from None


def print_summary(summary: dict, check: dict) -> None:
    print("split   rows  by source")
    for split in SPLITS:
        sources = ", ".join(f"{s} {n}" for s, n in summary["rows_by_source"][split].items())
        print(f"{split:<6} {summary['rows'][split]:>5}  {sources}")
    print(f"token lengths ({summary['tokenizer']}, with special tokens):")
    for split in SPLITS:
        stats = summary["token_lengths"][split]
        print(f"  {split:<6} " + "  ".join(f"{k} {v}" for k, v in stats.items()))
    print(f"documents longer than finetune.max_length: {summary['documents_longer_than_finetune_max_length']}")
    print("\n".join(dataset_requests.summary_lines(summary["requests"])))
    print(
        f"leakage: {check['exact_texts_in_both_splits']} exact texts and {check['near_duplicate_pairs_across_splits']} near-duplicate pairs across splits"
    )


if __name__ == "__main__":
    cli.run(main)
