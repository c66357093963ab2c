"""Fixtures the tests of brandtone/finetune/'s modules share."""

from __future__ import annotations

import pytest

from tests.helpers.corpus import brand_posts
from tests.helpers.datasets import save_dataset


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """A small saved dataset (17 training and 4 test posts) at `corpus / "dataset"`; each test works in its own
    subfolder of `corpus`. Session-scoped: made once for every test module here that uses it."""
    folder = tmp_path_factory.mktemp("finetune-corpus")
    posts = brand_posts(21, seed=4)
    save_dataset(folder / "dataset", posts[4:], posts[:4])
    return folder
