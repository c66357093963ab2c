"""Benchmark: stage 3's keyword requests (dataset.requests: keywords) on N synthetic posts; prints the time.

    .venv/bin/python bench/requests_scale.py [--posts 5000]

The posts are bench/clean_scale.py's synthetic ones (the demo brand's mix of English, Roman
Urdu, emoji, hashtags, prices). Prints the wall time of `build_requests` over all of them, split
into the corpus pass (document frequencies, YAKE's set-up) and the per-document work (YAKE, the
topic, the phrasing, the leak guard), documents per second, and the counts by kind.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.clean_scale import unique_post  # noqa: E402
from brandtone.dataset.requests import build_requests  # noqa: E402
from brandtone.dataset.topics import TopicFinder  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(0)
    docs = [{"id": f"facebook/{i}", "source": rng.choice(["facebook", "instagram"]), "text": unique_post(rng)} for i in range(args.posts)]
    started = time.perf_counter()
    TopicFinder([doc["text"] for doc in docs], "Nukkar Chai Co.")
    corpus_pass = time.perf_counter() - started
    started = time.perf_counter()
    requests = build_requests(docs, seed=42, max_shared_words=4, brand_name="Nukkar Chai Co.")
    total = time.perf_counter() - started
    print(
        f"{args.posts} posts: {total:.1f} s in all ({args.posts / total:.0f} documents/s), "
        f"of which the corpus pass {corpus_pass:.1f} s; counts {requests.counts()}"
    )
    print("e.g.", requests.by_id[docs[0]["id"]])


if __name__ == "__main__":
    main()
