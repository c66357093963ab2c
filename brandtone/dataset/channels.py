"""How a writing request names a document's channel (stage 3's keyword and model requests share it)."""

from __future__ import annotations

CHANNELS = {
    "web": ("website page", "page for our website", "web page"),
    "facebook": ("Facebook post", "post for our Facebook page", "Facebook update"),
    "instagram": ("Instagram caption", "caption for Instagram", "Insta caption"),
}


def channel_names(source: str) -> tuple[str, ...]:
    """How a request names the document's channel; the first is the plain name."""
    return CHANNELS.get(source, (f"{source} post",))


def channel_name(source: str) -> str:
    return channel_names(source)[0]


def with_article(channel: str) -> str:
    return f"{'an' if channel[0] in 'AEIOU' else 'a'} {channel}"
