"""The bundled corpus keeps its seed articles' wording, sentence for sentence.

Stand-alone on purpose: only the standard library, pytest and PyYAML, nothing from
ldn_assistant, so a change in the package's own sentence splitting cannot hide a
change in the corpus text.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
CORPUS = REPO / "corpus"

EXPECTED_IDS = {
    "ldn-gut-motility": "000_055ee2c0d585a07c.txt",
    "what-is-ldn": "001_3a40c4b2edeb5085.txt",
    "ldn-immune-modulator": "002_ccbcca620e2e3077.txt",
    "ldn-and-serotonin": "003_9c04ce8442503a67.txt",
}
CLUTTER = [
    "Submit a Comment",
    "Pin It on Pinterest",
    "Share This",
    "Pixabay",
    "Successfully Subscribed",
    "Your email address will not be published",
]
# seed lines that are web clutter, not article text (compared after whitespace normalisation)
SEED_CLUTTER_PREFIXES = (
    "Image by",
    "by |",
    "Submit a Comment",
    "Your email address will not be published",
    "Want the latest articles",
    "Subscribe to stay up-to-date",
    "You have Successfully Subscribed!",
    "Pin It on Pinterest",
    "Share This",
)
FRONT_MATTER_KEYS = {"id", "title", "title_source", "author", "site", "date", "seed_file"}

# leading Markdown markup (headings, "- " / "  - " list items, "1. " items) and seed bullets
_LINE_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|[-•]\s+|\d+\.\s+)")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


def _split(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert match, f"{path.name}: no front matter between '---' lines"
    meta = yaml.safe_load(match.group(1))
    assert isinstance(meta, dict), f"{path.name}: front matter is not a mapping"
    return meta, text[match.end() :]


def _norm(text: str) -> str:
    """Collapse bullets, newlines and any whitespace (incl. no-break spaces) to single spaces."""
    return " ".join(text.replace("•", " ").split())


def _sentences(text: str) -> list[str]:
    """Markup-free, whitespace-normalised sentences: split on line breaks and after . ? !"""
    out = []
    for line in text.splitlines():
        line = _LINE_MARKUP.sub("", line)
        out += [s for s in (_norm(part) for part in _SENTENCE_END.split(line)) if s]
    return out


def _has_seed_file(path: Path) -> bool:
    match = re.match(r"---\n(.*?)\n---\n", path.read_text(encoding="utf-8"), re.S)
    meta = yaml.safe_load(match.group(1)) if match else None
    return isinstance(meta, dict) and "seed_file" in meta


ARTICLES = sorted(p for p in CORPUS.glob("*.md") if _has_seed_file(p))


def _seed_text(meta: dict[str, Any]) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    seed = SEEDS / str(meta["seed_file"])
    assert seed.is_file(), f"seed_file {meta['seed_file']!r} not found in {SEEDS}"
    return seed.read_text(encoding="utf-8")


def test_the_four_seed_articles_are_in_the_corpus():
    found = {p.stem: _split(p)[0]["seed_file"] for p in ARTICLES}
    for article_id, seed_file in EXPECTED_IDS.items():
        assert found.get(article_id) == seed_file, (article_id, found)


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_front_matter(path: Path):
    meta, body = _split(path)
    assert set(meta) <= FRONT_MATTER_KEYS, (
        f"{path.name}: unexpected keys {set(meta) - FRONT_MATTER_KEYS}"
    )
    assert meta.get("id") == path.stem, f"{path.name}: id {meta.get('id')!r} != file stem"
    assert isinstance(meta.get("title"), str) and meta["title"].strip(), f"{path.name}: no title"
    assert isinstance(meta.get("seed_file"), str) and meta["seed_file"], (
        f"{path.name}: no seed_file"
    )
    if "title_source" in meta:
        assert meta["title_source"] == "descriptive", f"{path.name}: {meta['title_source']!r}"
    if "date" in meta:
        dt.date.fromisoformat(str(meta["date"]))
    # a '# ' heading is only for an article's own title, and then it is that title
    top = [line[2:] for line in body.splitlines() if line.startswith("# ")]
    if meta.get("title_source") == "descriptive":
        assert top == [], f"{path.name}: descriptive title must not be a '# ' heading: {top}"
    else:
        assert top == [meta["title"]], f"{path.name}: '# ' heading {top} != title"


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_front_matter_states_only_what_the_seed_states(path: Path):
    meta, _ = _split(path)
    seed = _norm(_seed_text(meta))
    title_in_seed = _norm(meta["title"]) in seed
    assert (meta.get("title_source") == "descriptive") == (not title_in_seed), (
        f"{path.name}: title_source must be 'descriptive' exactly when the title "
        f"is not in the seed (title in seed: {title_in_seed})"
    )
    for key in ("author", "site"):
        if key in meta:
            assert _norm(str(meta[key])) in seed, f"{path.name}: {key} {meta[key]!r} not in seed"
    if "date" in meta:
        day = dt.date.fromisoformat(str(meta["date"]))
        stated = {
            f"{day:%b} {day.day}, {day.year}",
            f"{day:%B} {day.day}, {day.year}",
            day.isoformat(),
        }
        assert any(s in seed for s in stated), f"{path.name}: date {day} not stated in seed"


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_every_sentence_occurs_in_its_seed(path: Path):
    meta, body = _split(path)
    seed_raw = _seed_text(meta)
    seed = _norm(seed_raw)
    body_sentences = _sentences(body)
    assert body_sentences, f"{path.name}: empty body"
    for sentence in body_sentences:
        assert sentence in seed, (
            f"{path.name}: sentence not in seed {meta['seed_file']}: {sentence!r}"
        )
    # nothing of substance dropped
    seed_count = len(_sentences(seed_raw))
    assert len(body_sentences) >= 0.9 * seed_count, (
        f"{path.name}: {len(body_sentences)} sentences, seed has {seed_count}"
    )


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_web_clutter_is_gone(path: Path):
    _, body = _split(path)
    for clutter in CLUTTER:
        assert clutter not in body, f"{path.name}: clutter {clutter!r} survived"


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_every_seed_sentence_is_kept_in_order(path: Path):
    """The converse check: no seed sentence outside the web clutter is dropped or moved.

    Lines the front matter took over (a byline equal to `author`, a bare `site` line) and
    the repeated title line may go; the title itself must be kept once.
    """
    meta, body = _split(path)
    seed_raw = _seed_text(meta)
    taken_over = {_norm(str(meta[k])) for k in ("author", "site") if k in meta}
    title = _norm(meta["title"])
    body_text = " ".join(_sentences(body))
    position, title_seen = 0, False
    for line in seed_raw.splitlines():
        line_norm = _norm(line)
        if not line_norm or line_norm.startswith(SEED_CLUTTER_PREFIXES) or line_norm in taken_over:
            continue
        if line_norm == title:
            if title_seen:
                continue
            title_seen = True
        for sentence in _sentences(line):
            found = body_text.find(sentence, position)
            assert found >= 0, f"{path.name}: seed sentence missing or out of order: {sentence!r}"
            position = found + len(sentence)
