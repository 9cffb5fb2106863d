"""The bundled corpus keeps its seed articles' wording, sentence for sentence."""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter
import pytest

from ldn_assistant.sentences import split_blocks, split_sentences

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
ARTICLES = sorted((REPO / "corpus").glob("*.md"))
CLUTTER = [
    "Submit a Comment",
    "Pin It on Pinterest",
    "Share This",
    "Pixabay",
    "Successfully Subscribed",
    "Your email address will not be published",
]


def _norm(text: str) -> str:
    return " ".join(text.replace("•", " ").split())


def _sentences(body: str) -> list[str]:
    out = []
    for block in split_blocks(body):
        if block.kind == "text":
            out += [
                _norm(body[s.start : s.end]) for s in split_sentences(body, block.start, block.end)
            ]
    return out


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_front_matter(path: Path):
    post = frontmatter.loads(path.read_text(encoding="utf-8"))
    meta = post.metadata
    assert meta["id"] == path.stem
    assert meta["title"] and meta["seed_file"]
    assert set(meta) <= {"id", "title", "title_source", "author", "site", "date", "seed_file"}
    if SEEDS.is_dir():
        seed = _norm((SEEDS / str(meta["seed_file"])).read_text(encoding="utf-8"))
        assert (meta.get("title_source") == "descriptive") == (
            _norm(str(meta["title"])) not in seed
        )


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_every_sentence_occurs_in_its_seed(path: Path):
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    post = frontmatter.loads(path.read_text(encoding="utf-8"))
    seed_raw = (SEEDS / str(post.metadata["seed_file"])).read_text(encoding="utf-8")
    seed = _norm(seed_raw)
    body_sentences = _sentences(post.content)
    headings = [
        _norm(post.content[b.start : b.end])
        for b in split_blocks(post.content)
        if b.kind == "heading"
    ]
    for sentence in body_sentences + headings:
        assert sentence in seed, f"{path.name}: not in the seed: {sentence!r}"
    # nothing of substance dropped: the body keeps (nearly) all of the seed's words
    seed_words = len(re.findall(r"\w+", seed_raw))
    body_words = len(re.findall(r"\w+", post.content))
    assert body_words >= 0.9 * seed_words - 60, (body_words, seed_words)


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_web_clutter_is_gone(path: Path):
    body = frontmatter.loads(path.read_text(encoding="utf-8")).content
    for clutter in CLUTTER:
        assert clutter not in body, f"{path.name}: {clutter!r}"
