"""Is a generated sentence supported by the passages it cites?

Embedding similarity alone cannot tell "does not interact" from "interacts" or 4.5 mg from
45 mg, so the check is a conjunction of deterministic tests, each one a way a paraphrase
goes wrong:

1. numbers: every number in the sentence occurs in a cited passage;
2. negation: the sentence and the passage sentence it paraphrases agree on negation;
3. opposites: it does not swap a word for its opposite (morning/night, increase/decrease);
4. coverage: most of its content words (stemmed) occur in the cited passages, so a claim
   that no passage makes is not passed.

Thresholds were set on `scripts/measure_support.py` (supported vs corrupted sentences built
from the corpus); the figures are in the README.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ldn_assistant.lexicon import content_words, stem, words
from ldn_assistant.sentences import text_sentences

# Share of the sentence's content stems that must occur in the cited passages.
MIN_COVERAGE = 0.75
# Share of content stems shared with one passage sentence for it to count as "the one
# paraphrased" (negation and opposites are compared against that sentence).
MIN_MATCH = 0.3
# Words after a negation that it applies to.
NEGATION_SCOPE = 3

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "neither",
        "nor",
        "cannot",
        "can't",
        "don't",
        "doesn't",
        "didn't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "won't",
        "wouldn't",
        "shouldn't",
        "without",
        "non",
    ]
)
_OPPOSITES = [
    ("increase", "decrease"),
    ("increases", "decreases"),
    ("increased", "decreased"),
    ("more", "less"),
    ("higher", "lower"),
    ("high", "low"),
    ("before", "after"),
    ("morning", "night"),
    ("morning", "bedtime"),
    ("improve", "worsen"),
    ("improved", "worsened"),
    ("safe", "unsafe"),
    ("common", "rare"),
    ("mild", "severe"),
    ("short", "long"),
    ("brief", "prolonged"),
    ("reduce", "increase"),
    ("reduces", "increases"),
    ("inhibits", "activates"),
    ("antagonist", "agonist"),
    ("suppressive", "stimulating"),
]


@dataclass(frozen=True)
class SupportResult:
    supported: bool
    reason: str
    best_passage_sentence: str = ""


def _numbers(text: str) -> set[str]:
    return {n.replace(",", ".").rstrip("0").rstrip(".") or "0" for n in _NUMBER.findall(text)}


def _negated_words(text: str) -> set[str]:
    """Content words within NEGATION_SCOPE words after a negation ("does not directly
    interact" -> directly, interact)."""
    tokens = words(text.replace("’", "'"))
    out: set[str] = set()
    for i, t in enumerate(tokens):
        if t in _NEGATIONS or t.endswith("n't"):
            out.update(stem(w) for w in tokens[i + 1 : i + 1 + NEGATION_SCOPE])
    return out


def _parts(text: str) -> set[str]:
    """Words, with hyphenated ones also split ("low-impact" -> low, impact)."""
    out = set()
    for w in words(text):
        out.add(w)
        out.update(p for p in w.split("-") if p)
    return out


def _sentences(passage: str) -> list[str]:
    return text_sentences(passage) or [passage]


def _stems(text: str) -> set[str]:
    return {stem(w) for w in content_words(text) if not _NUMBER.fullmatch(w)}


def check_sentence(sentence: str, passages: list[str]) -> SupportResult:
    """Whether `sentence` (markers removed) is supported by the cited `passages`."""
    text = re.sub(r"\[\d+\]", "", sentence).strip()
    if not passages:
        return SupportResult(False, "cites no shown passage")
    joined = " ".join(passages)

    missing = _numbers(text) - _numbers(joined)
    if missing:
        return SupportResult(False, f"number(s) not in the cited passages: {sorted(missing)}")

    stems = _stems(text)
    if not stems:
        return SupportResult(False, "no content to check")
    coverage = len(stems & _stems(joined)) / len(stems)

    candidates = [s for p in passages for s in _sentences(p)]
    best, best_overlap = "", 0.0
    for cand in candidates:
        overlap = len(stems & _stems(cand)) / len(stems)
        if overlap > best_overlap:
            best, best_overlap = cand, overlap
    if best_overlap >= MIN_MATCH:
        shared = stems & _stems(best)
        if (_negated_words(text) & shared) != (_negated_words(best) & shared):
            return SupportResult(False, "negation differs from the cited passage", best)
        mine, theirs = _parts(text), _parts(best)
        for a, b in _OPPOSITES:
            if (a in mine and b in theirs and b not in mine and a not in theirs) or (
                b in mine and a in theirs and a not in mine and b not in theirs
            ):
                return SupportResult(
                    False,
                    f"says {a if a in mine else b!r} where the passage "
                    f"says {b if a in mine else a!r}",
                    best,
                )
    if coverage < MIN_COVERAGE:
        return SupportResult(
            False, f"only {coverage:.0%} of its words are in the cited passages", best
        )
    return SupportResult(True, "supported", best)
