"""Shared fixtures: a tiny corpus with fake embeddings for unit tests, and one real index
(real model, real corpus) built once per session for end-to-end tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ldn_assistant.settings import Settings

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"

os.environ.setdefault("HF_HUB_OFFLINE", "1")

TINY_DOCS = {
    "alpha.md": """---
id: alpha
title: Alpha article
---
# Alpha article

Intro sentence about the alpha topic here. A second intro sentence follows it.

## Dosing

- Determine Dosage: The alpha dose ranges from 1 to 3 units. Ask the prescriber.
- Timing: Take it in the evening before sleep.

## Effects

Some readers report vivid dreams. Others report nothing at all in particular.
""",
    "beta.txt": "Beta notes describe a different subject entirely. They mention gamma rays and "
    "radio waves in passing. Nothing else is said about the alpha topic.\n",
}


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in TINY_DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return corpus


@pytest.fixture
def fake_settings(tiny_corpus: Path, tmp_path: Path) -> Settings:
    return Settings(
        corpus_dir=tiny_corpus,
        index_dir=tmp_path / "index",
        embedding_model="fake:32",
        chunk_size=120,
        chunk_overlap=0,
    )


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The real corpus and the default (packaged) embedding model, index in a temp dir."""
    return Settings(corpus_dir=CORPUS, index_dir=tmp_path_factory.mktemp("real") / "index")


@pytest.fixture(scope="session")
def assistant(real_settings: Settings):  # type: ignore[no-untyped-def]
    from ldn_assistant import Assistant

    return Assistant(real_settings).warm_up()
