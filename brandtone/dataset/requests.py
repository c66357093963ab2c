"""Stage 3's writing requests: for every document, what a marketer would have typed to get it.

`dataset.requests: keywords` (the default, CPU, a few seconds) writes the request
from the document's channel, topic (brandtone.dataset.topics) and rough length,
in one of several phrasings picked per document from `dataset.seed`, so the
model does not learn one sentence. `model` asks the base model itself
(brandtone.dataset.backtranslate); a request it leaves empty, or one that leaks
the answer, is replaced by the keyword request and counted.

A request must not give the answer away: the leak guard allows no run of more
than `dataset.request_max_shared_words` consecutive words of the document
(lower-cased, punctuation and emoji ignored). A keyword request that would
break it loses topic parts until it does not (counted as shortened); in the
last resort, words are left out.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from brandtone.dataset.backtranslate import generate_requests
from brandtone.dataset.channels import channel_names, with_article
from brandtone.dataset.topics import Topic, TopicFinder, plain_words

KINDS = ("keywords", "model", "fallback_empty", "fallback_leak")

PHRASINGS = (
    "Write {subject}{about}{extras}. {Length}.{tags}",
    "Can you draft {subject}{about}{extras}? {Length}, please.{tags}",
    "{Subject}{about}{extras}, {length}.{tags}",
    "We need {subject}{about}{extras}. Keep it to {length}.{tags}",
    "Hi! I need {subject}{about}{extras}, {length}.{tags}",
)
TAG_SENTENCES = (" Use {tags}.", " Include {tags}.", " Hashtags: {tags}.")
APPROXIMATELY = ("about", "around", "roughly")
# Topic parts dropped, one more at a time, while a request shares too long a run with its document.
DROP_ORDER = ("hashtags", "title", "second_phrase", "place", "phrases", "occasion")


def length_phrase(word_count: int, approximately: str) -> str:
    if word_count <= 12:
        return "one short line"
    if word_count <= 25:
        return "one or two lines"
    step = 10 if word_count <= 150 else 50
    return f"{approximately} {max(step, round(word_count / step) * step)} words"


class LeakGuard:
    """Finds the longest run of consecutive document words in a request (the document is indexed once)."""

    def __init__(self, document: str, max_shared_words: int):
        self.max_shared_words = max_shared_words
        self._words = plain_words(document)
        self._positions: dict[str, list[int]] = defaultdict(list)
        for position, word in enumerate(self._words):
            self._positions[word].append(position)

    def longest_run(self, request: str) -> int:
        asked = plain_words(request)
        best = 0
        for start, word in enumerate(asked):
            for position in self._positions.get(word, ()):
                run = 1
                while start + run < len(asked) and position + run < len(self._words) and asked[start + run] == self._words[position + run]:
                    run += 1
                best = max(best, run)
        return best

    def allows(self, request: str) -> bool:
        return self.longest_run(request) <= self.max_shared_words

    def trim(self, request: str) -> str:
        """The request with every word left out that would complete a too-long run (the last resort)."""
        kept: list[str] = []
        for token in request.split():
            if self.allows(" ".join([*kept, token])):
                kept.append(token)
        return " ".join(kept)


@dataclass(frozen=True)
class Choices:
    """One document's draws from its seeded generator: which phrasing, channel name and wording."""

    phrasing: int
    channel: str
    approximately: str
    tag_sentence: str
    tag_joiner: str

    @classmethod
    def draw(cls, seed: int, doc_id: str, source: str) -> "Choices":
        rng = random.Random(f"{seed}:{doc_id}")  # per document: independent of the other documents and their order
        return cls(
            phrasing=rng.randrange(len(PHRASINGS)),
            channel=rng.choice(channel_names(source)),
            approximately=rng.choice(APPROXIMATELY),
            tag_sentence=rng.choice(TAG_SENTENCES),
            tag_joiner=rng.choice((" and ", ", ")),
        )


def render(topic: Topic, choices: Choices, phrasing: int, dropped: frozenset = frozenset()) -> str:
    phrases = [] if "phrases" in dropped else list(topic.phrases[: 1 if "second_phrase" in dropped else None])
    title = None if "title" in dropped else topic.title
    hashtags = () if "hashtags" in dropped else topic.hashtags
    place = None if "place" in dropped else topic.place
    named = {w for phrase in phrases for w in plain_words(phrase)}
    occasion = None if "occasion" in dropped or named & (set(plain_words(topic.occasion or "")) - {"the", "an"}) else topic.occasion

    about = f' titled "{title}"' if title else ""
    if phrases:
        subject = " and ".join(phrases)
        about += (
            f" about our offer on {subject}" if topic.offer else f" announcing {subject}" if topic.announcement else f" about {subject}"
        )
    elif topic.offer:
        about += " about our latest offer"
    extras = (f" for {occasion}" if occasion else "") + (f", mentioning {place}" if place else "")
    if not (about or extras or hashtags):
        about = " in our usual voice"
    subject = with_article(choices.channel)
    length = length_phrase(topic.word_count, choices.approximately)
    tags = choices.tag_sentence.format(tags=choices.tag_joiner.join(hashtags)) if hashtags else ""
    text = PHRASINGS[phrasing].format(
        subject=subject,
        Subject=subject[0].upper() + subject[1:],
        about=about,
        extras=extras,
        length=length,
        Length=length[0].upper() + length[1:],
        tags=tags,
    )
    return " ".join(text.split())


def keyword_request(topic: Topic, choices: Choices, guard: LeakGuard) -> tuple[str, bool]:
    """The richest request, in the document's own phrasing first, that the guard allows; and whether parts were dropped."""
    order = [choices.phrasing] + [p for p in range(len(PHRASINGS)) if p != choices.phrasing]
    dropped: frozenset = frozenset()
    for level in range(len(DROP_ORDER) + 1):
        if level:
            dropped = dropped | {DROP_ORDER[level - 1]}
        for phrasing in order:
            request = render(topic, choices, phrasing, dropped)
            if guard.allows(request):
                return request, bool(dropped)
    return guard.trim(render(topic, choices, choices.phrasing, dropped)), True


@dataclass
class Requests:
    """Every document's request, how it was made, and the counts the manifest keeps."""

    by_id: dict[str, str] = field(default_factory=dict)
    kind_of: dict[str, str] = field(default_factory=dict)
    shortened: int = 0

    def counts(self) -> dict[str, int]:
        kinds = Counter(self.kind_of.values())
        return {**{kind: kinds.get(kind, 0) for kind in KINDS}, "keywords_shortened_for_leaks": self.shortened}


def build_requests(docs: list[dict], *, seed: int, max_shared_words: int, brand_name: str, generated: list[str] | None = None) -> Requests:
    """One request per document: the keyword form, or the model's (`generated`, in `docs` order) where it passes."""
    finder = TopicFinder([doc["text"] for doc in docs], brand_name)
    requests = Requests()
    for index, doc in enumerate(docs):
        guard = LeakGuard(doc["text"], max_shared_words)
        keyword, shortened = keyword_request(finder.find(doc["text"], doc["source"]), Choices.draw(seed, doc["id"], doc["source"]), guard)
        request, kind = keyword, "keywords"
        if generated is not None:
            candidate = generated[index].strip()
            if not candidate:
                kind = "fallback_empty"
            elif not guard.allows(candidate):
                kind = "fallback_leak"
            else:
                request, kind = candidate, "model"
        requests.by_id[doc["id"]] = request
        requests.kind_of[doc["id"]] = kind
        requests.shortened += shortened and kind != "model"
    return requests


def examples_per_channel(rows: list[dict], per_channel: int, seed: int) -> dict[str, list[dict]]:
    """A few (request, document start) pairs per source, picked with `seed`, for the summary and manifest."""
    by_source: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_source[row["source"]].append(row)
    rng = random.Random(seed)
    picked = {}
    for source in sorted(by_source):
        sample = rng.sample(by_source[source], min(per_channel, len(by_source[source])))
        picked[source] = [{"request": row["messages"][0]["content"], "document": row["text"]} for row in sample]
    return picked


def make_requests(docs: list[dict], config) -> Requests:
    """`dataset.requests` for every document: keyword requests, or the base model's where they pass the guard."""
    settings = config.dataset
    generated = None
    if settings.requests == "model":
        generated = generate_requests(docs, config)
    return build_requests(
        docs, seed=settings.seed, max_shared_words=settings.request_max_shared_words, brand_name=config.brand.name, generated=generated
    )


def summary(requests: Requests, rows: list[dict], config, per_channel: int = 2) -> dict:
    """What the manifest keeps and stage 3 prints: mode, leak limit, counts by kind, examples per channel."""
    return {
        "mode": config.dataset.requests,
        "max_shared_words": config.dataset.request_max_shared_words,
        "counts": requests.counts(),
        "examples": examples_per_channel(rows, per_channel, config.dataset.seed),
    }


def summary_lines(info: dict, document_chars: int = 70) -> list[str]:
    counts = ", ".join(f"{kind} {n}" for kind, n in info["counts"].items() if n or kind == "keywords")
    lines = [f"requests ({info['mode']}; at most {info['max_shared_words']} consecutive words of the document): {counts}"]
    for source, examples in info["examples"].items():
        for example in examples:
            start = " ".join(example["document"].split())
            start = start if len(start) <= document_chars else start[: document_chars - 3] + "..."
            lines.append(f"  {source:<9} {example['request']}")
            lines.append(f"  {'':<9}   <- {start}")
    return lines
