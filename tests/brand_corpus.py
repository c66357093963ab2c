"""A small brand corpus for the fine-tuning tests, made on the spot.

Short posts in one consistent voice (a Lahore chai café: English with Roman
Urdu, emojis, hashtags), built from hand-written fragments with a fixed seed,
saved the way stage 3 saves its output: a DatasetDict with `train` and `test`
splits, the contract's columns (with `messages`: stage 3's own keyword request
for each post, and the post), and a manifest.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

OPENERS = [
    "Garma garam chai is ready at the nukkar ☕",
    "Baarish ho rahi hai, and you know what that means 🌧️",
    "Subah ki pehli chai, Gulberg style ☀️",
    "Doodh patti, kadak and slow-boiled, just like Ammi makes it",
    "Kashmiri chai season is officially open 💗",
    "Late night gup-shup crew, we see you 🌙",
    "Fresh samosay just out of the karahi 🥟",
    "Pakoray + chai = the only weather report Lahore needs",
    "Our Model Town nukkar turns three today 🎉",
    "Chacha Rafiq's pateela has been on the stove since 7 am",
    "Exam season? We've got your back, yaar 📚",
    "Sunday family table at DHA Phase 5, reserved for you",
]
MIDDLES = [
    "Bring your dost, grab a cutting chai and stay as long as you like.",
    "Elaichi, a little saunf, and a lot of patience: that's the whole secret.",
    "Every cup is brewed to order, never from a flask.",
    "Half cup for you, half cup for gup-shup, that's the nukkar rule.",
    "The bun kebab is back on the menu, chutni extra spicy 🌶️.",
    "Students get a free rusk with every chai after 10 pm.",
    "Gur wali chai for the ones who skip cheeni, we remember you.",
    "Lahore ki sardi aur hamari chai, perfect jodi.",
    "Parking is tight, so park at the mall and walk two minutes.",
    "Our chaiwalas have been brewing together for eight years now.",
]
CLOSERS = [
    "Milte hain nukkar pe! #NukkarChai #ChaiTime",
    "Aa jao, chai thandi ho rahi hai 😄 #NukkarChai #LahoreEats",
    "Open 7 am to 1 am, every single day. #NukkarChai",
    "Tag the friend who owes you a chai ☕ #ChaiTime #Lahore",
    "See you at Gulberg, DHA or Model Town 📍 #NukkarChai",
    "Shukriya Lahore, for making the nukkar your second home 💛 #NukkarChai",
    "Kadak chai, narm dil. #NukkarChai #ChaiLovers",
]


def brand_posts(count: int, seed: int = 0) -> list[str]:
    """`count` distinct short posts in the brand's voice."""
    rng = random.Random(seed)
    posts: list[str] = []
    seen: set[str] = set()
    while len(posts) < count:
        parts = [rng.choice(OPENERS)]
        parts += rng.sample(MIDDLES, rng.choice([1, 1, 2]))
        parts.append(rng.choice(CLOSERS))
        text = " ".join(parts)
        if text not in seen:
            seen.add(text)
            posts.append(text)
    return posts


def save_dataset(folder: Path, train_texts: list[str], test_texts: list[str], config=None, messages: bool = True) -> Path:
    """Save texts as stage 3 would: DatasetDict(train, test) with the contract's columns, plus manifest.json
    (`messages=False`: as a stage 3 from before the writing requests saved them)."""
    from datasets import Dataset, DatasetDict, Features, Value

    from brandtone import manifest
    from brandtone.config import load_config
    from brandtone.dataset_requests import build_requests
    from brandtone.textformat import conversation
    from conftest import REPO

    config = config or load_config(REPO / "config.yaml")
    texts = train_texts + test_texts
    docs = [{"id": str(i), "text": text, "source": "instagram"} for i, text in enumerate(texts)]
    requests = build_requests(docs, seed=config.dataset.seed, max_shared_words=config.dataset.request_max_shared_words,
                              brand_name="Nukkar Chai Co.").by_id

    def split(texts: list[str], offset: int) -> Dataset:
        dataset = Dataset.from_dict({
            "text": texts,
            "source": ["instagram"] * len(texts),
            "url": [f"https://www.instagram.com/p/{offset + i}/" for i in range(len(texts))],
            "date": ["2026-11-01"] * len(texts),
            "lang": ["mixed"] * len(texts),
            "cluster": list(range(offset, offset + len(texts))),
            "messages": [conversation(requests[str(offset + i)], text) for i, text in enumerate(texts)],
        }, features=FEATURES)
        return dataset if messages else dataset.remove_columns("messages")

    FEATURES = Features({name: Value("int64" if name == "cluster" else "string")
                         for name in ("text", "source", "url", "date", "lang", "cluster")})
    FEATURES["messages"] = [{"role": Value("string"), "content": Value("string")}]

    folder = Path(folder)
    DatasetDict({"train": split(train_texts, 0), "test": split(test_texts, len(train_texts))}).save_to_disk(str(folder))
    manifest.write_manifest(folder, manifest.build_manifest(
        stage="dataset", config=config, sections=("dataset",), inputs={},
        counts={"train": len(train_texts), "test": len(test_texts)}, started_at=time.time(),
    ))
    return folder
