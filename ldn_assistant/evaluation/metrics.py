"""Metric functions. Each is small and pure so that tests can check it by hand."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from typing import Any

from ldn_assistant.models import Answer
from ldn_assistant.texts import DISCLAIMER

_MARKER = re.compile(r"\[(\d+)\]")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def normalize(text: str) -> str:
    """Case-, quote- and whitespace-insensitive form for phrase matching."""
    return " ".join(text.translate(_QUOTES).casefold().split())


def is_relevant(passage: str, evidence: Sequence[str]) -> bool:
    """A passage is relevant when it contains any evidence phrase."""
    text = normalize(passage)
    return any(normalize(e) in text for e in evidence if e.strip())


def first_relevant_rank(passages: Sequence[str], evidence: Sequence[str]) -> int | None:
    """1-based rank of the first relevant passage, or None."""
    for rank, passage in enumerate(passages, 1):
        if is_relevant(passage, evidence):
            return rank
    return None


def hit_at(rank: int | None, k: int) -> float:
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal_rank(rank: int | None, cutoff: int = 10) -> float:
    return 1.0 / rank if rank is not None and rank <= cutoff else 0.0


def fact_recall(text: str, facts: Sequence[str]) -> float | None:
    """Share of the fact patterns the answer text matches (None when there are none)."""
    if not facts:
        return None
    return sum(1 for f in facts if re.search(f, text, re.I)) / len(facts)


def cited_pairs(text: str) -> list[tuple[str, int]]:
    """(sentence, n) for every marker: the sentence is the text before the marker since the
    previous marker or line break."""
    pairs: list[tuple[str, int]] = []
    cursor = 0
    for m in _MARKER.finditer(text):
        before = text[cursor : m.start()]
        sentence = before.splitlines()[-1] if before.strip() else ""
        sentence = re.sub(r"^\s*(?:[-*]\s+)?", "", sentence).strip()
        if not sentence:  # a second marker right after the first cites the same sentence
            sentence = pairs[-1][0] if pairs else ""
        pairs.append((sentence, int(m.group(1))))
        cursor = m.end()
    return pairs


def citation_valid(answer: Answer) -> bool:
    """Every marker resolves to a shown passage, numbering is 1..m without gaps, and every
    listed source is cited by some marker."""
    shown = [c.n for c in answer.citations]
    if shown != list(range(1, len(shown) + 1)):
        return False
    used = {n for _, n in cited_pairs(answer.text)}
    return used == set(shown)


def citation_support(answer: Answer) -> float | None:
    """Share of (sentence, marker) pairs whose sentence occurs in passage n (extractive) or
    passes the support check against it (generative). None when nothing is cited."""
    pairs = cited_pairs(answer.text)
    if not pairs:
        return None
    by_n = {c.n: c.text for c in answer.citations}
    ok = 0
    for sentence, n in pairs:
        passage = by_n.get(n)
        if passage is None:
            continue
        if normalize(sentence) in normalize(passage):
            ok += 1
        elif answer.mode == "generative":
            from ldn_assistant.support import check_sentence

            ok += int(check_sentence(sentence, [passage]).supported)
    return ok / len(pairs)


def outcome(answer: Answer) -> str:
    if answer.safety == "emergency":
        return "emergency"
    return "refuse" if answer.refused else "answer"


def disclaimer_present(answer: Answer) -> bool:
    return answer.disclaimer == DISCLAIMER and DISCLAIMER in answer.to_markdown()


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100), None for no values."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def bootstrap_ci(
    values: Sequence[float], n_resamples: int = 2000, seed: int = 0, min_count: int = 5
) -> tuple[float, float] | None:
    """95% percentile-bootstrap interval of the mean; None when too few values."""
    if len(values) < min_count:
        return None
    rng = random.Random(seed)
    k = len(values)
    means = sorted(sum(rng.choice(values) for _ in range(k)) / k for _ in range(n_resamples))
    return means[int(0.025 * n_resamples)], means[int(0.975 * n_resamples) - 1]


def score_answer(q: Any, answer: Answer, latency_ms: float | None = None) -> dict[str, Any]:
    """Per-question scores for one `EvalQuestion` and the `Answer` it got."""
    retrieved = [p.text for p in answer.retrieved]
    rank = first_relevant_rank(retrieved, q.evidence) if q.evidence else None
    got = outcome(answer)
    return {
        "id": q.id,
        "category": q.category,
        "expect": q.expect,
        "outcome": got,
        "correct_outcome": got == q.expect,
        "has_evidence": bool(q.evidence),
        "rank": rank,
        "cited_relevant": (
            any(is_relevant(c.text, q.evidence) for c in answer.citations) if q.evidence else None
        ),
        "fact_recall": fact_recall(answer.text, q.facts) if q.expect == "answer" else None,
        "citation_valid": citation_valid(answer) if answer.citations else None,
        "citation_support": citation_support(answer),
        "disclaimer": disclaimer_present(answer),
        "latency_ms": latency_ms if latency_ms is not None else answer.timings_ms.get("total_ms"),
        "unsupported": len(answer.unsupported),
    }
