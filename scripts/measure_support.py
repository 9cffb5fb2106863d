"""Measure the generative support check on supported and corrupted sentences from the corpus.

Every sentence here is derived from the corpus: kept as written (supported), lightly trimmed
(supported), or corrupted in one way the check must catch (a changed number, a flipped
negation, a swapped opposite, a sentence cited against a passage of another article).
Run: `.venv/bin/python scripts/measure_support.py`
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

from ldn_assistant.chunking import chunk_document
from ldn_assistant.corpus import load_corpus
from ldn_assistant.sentences import split_blocks, split_sentences
from ldn_assistant.support import check_sentence

OPPOSITE = {
    "increase": "decrease",
    "increases": "decreases",
    "increased": "decreased",
    "more": "less",
    "before": "after",
    "morning": "night",
    "night": "morning",
    "bedtime": "morning",
    "mild": "severe",
    "common": "rare",
    "brief": "prolonged",
    "reduce": "increase",
    "higher": "lower",
    "low": "high",
    "short": "long",
    "improve": "worsen",
    "inhibits": "activates",
    "antagonist": "agonist",
}
SOFTENERS = re.compile(r"\b(?:typically|often|usually|generally|also|very|still|especially)\s+")


def pairs(seed: int = 0) -> list[tuple[str, str, str, bool]]:
    """(kind, sentence, passage, should_pass)."""
    rng = random.Random(seed)
    docs = load_corpus(Path(__file__).resolve().parents[1] / "corpus").documents
    chunks = [c for d in docs for c in chunk_document(d, 600, 0)]
    items: list[tuple[str, str, str]] = []  # (sentence, passage, doc_id)
    for c in chunks:
        for b in split_blocks(c.text):
            if b.kind == "text":
                for s in split_sentences(c.text, b.start, b.end):
                    text = c.text[s.start : s.end]
                    if len(text.split()) >= 6:
                        items.append((text, c.text, c.doc_id))
    rng.shuffle(items)
    out: list[tuple[str, str, str, bool]] = []
    for text, passage, _ in items[:60]:
        out.append(("verbatim", text, passage, True))
    for text, passage, _ in [i for i in items if SOFTENERS.search(i[0])][:20]:
        out.append(("trimmed", SOFTENERS.sub("", text, count=1), passage, True))
    for text, passage, _ in [i for i in items if "," in i[0]][:20]:
        first = text.split(",")[0].rstrip()
        if len(first.split()) >= 6:
            out.append(("first clause only", first + ".", passage, True))
    for text, passage, _ in [i for i in items if re.search(r"\d", i[0])][:25]:

        def bump(m: re.Match[str]) -> str:
            v = m.group(0)
            return v.replace(".", "") if "." in v else str(int(v) * 10 + 5)

        out.append(
            ("changed number", re.sub(r"\d+(?:\.\d+)?", bump, text, count=1), passage, False)
        )
    negated = [i for i in items if re.search(r"\b(?:not|no)\b", i[0])][:20]
    for text, passage, _ in negated:
        out.append(
            ("negation removed", re.sub(r"\s*\b(?:not|no)\b", "", text, count=1), passage, False)
        )
    positive = [
        i
        for i in items
        if re.search(r"\b(?:is|can|may|should)\b", i[0]) and not re.search(r"\bnot\b", i[0])
    ][:20]
    for text, passage, _ in positive:
        out.append(
            (
                "negation added",
                re.sub(r"\b(is|can|may|should)\b", r"\1 not", text, count=1),
                passage,
                False,
            )
        )
    pattern = re.compile(r"\b(" + "|".join(OPPOSITE) + r")\b")
    for text, passage, _ in [i for i in items if pattern.search(i[0])][:20]:
        out.append(
            (
                "opposite swapped",
                pattern.sub(lambda m: OPPOSITE[m.group(1)], text, count=1),
                passage,
                False,
            )
        )
    for (text, _, doc), (_, passage, other) in zip(items[:60], items[60:120]):
        if doc != other:
            out.append(("claim from another article", text, passage, False))
    return out


def main() -> None:
    results: Counter[tuple[str, bool]] = Counter()
    totals: Counter[str] = Counter()
    misses: list[str] = []
    for kind, sentence, passage, should_pass in pairs():
        ok = check_sentence(sentence, [passage]).supported == should_pass
        totals[kind] += 1
        results[(kind, ok)] += 1
        if not ok and len(misses) < 12:
            misses.append(f"  [{kind}] {sentence[:140]}")
    for kind in totals:
        verb = "kept" if kind in ("verbatim", "trimmed", "first clause only") else "caught"
        print(f"{kind:28s} {verb} {results[(kind, True)]:3d} / {totals[kind]:3d}")
    print("examples the check gets wrong:")
    print("\n".join(misses))


if __name__ == "__main__":
    main()
