"""How far re-weighting the retrieval signals this system has could take MRR@10 and hit@5.

For each answerable question of a set, every chunk gets four scores: the system's fused score
(exactly as `ask` retrieves), the dense cosine of the question, BM25, and the best cosine of
one of the chunk's sentences. All weightings of the four (min-max scaled per question) on a
0.1 grid are scored, and the best one is printed. The weights are fitted on the very questions
they are scored on, so the figure is an upper bound for any linear re-weighting of these
signals, not a result the system could claim.

Run: `.venv/bin/python scripts/retrieval_ceiling.py tests/eval/questions.jsonl [more.jsonl]`
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path
from typing import Any

import numpy as np

from ldn_assistant import Assistant
from ldn_assistant.evaluation.metrics import is_relevant
from ldn_assistant.evaluation.questions import load_questions
from ldn_assistant.sentences import text_sentences

SIGNALS = ("fused", "dense", "bm25", "sentence")
STEP = 0.1


def _scaled(x: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    low, high = float(x.min()), float(x.max())
    return (x - low) / (high - low) if high > low else np.zeros_like(x)


def signals(
    assistant: Assistant, path: Path
) -> list[tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]]:
    """Per answerable question: (signals x chunks matrix, relevant-chunk mask)."""
    questions, _ = load_questions(path)
    retriever = assistant.retriever
    chunks = retriever.chunks
    sentences = [text_sentences(c.text) for c in chunks]
    flat = [s for group in sentences for s in group]
    owner = np.array([i for i, group in enumerate(sentences) for _ in group])
    sentence_vectors = assistant._sentence_vectors(flat)
    out = []
    for q in questions:
        if q.expect != "answer" or not q.evidence:
            continue
        _, query, found = assistant.search(q.question, q.history_dicts(), k=len(chunks))
        fused = np.full(len(chunks), -1.0)  # not a candidate: below every candidate
        for rc in found:
            fused[retriever.position[rc.chunk.id]] = rc.score
        best_sentence = np.full(len(chunks), -1.0)
        np.maximum.at(best_sentence, owner, sentence_vectors @ query.vector)
        matrix = np.stack(
            [
                _scaled(fused),
                _scaled(retriever.vectors @ query.vector),
                _scaled(retriever._lexical_scores(query)),
                _scaled(best_sentence),
            ]
        )
        relevant = np.array([is_relevant(c.text, q.evidence) for c in chunks])
        out.append((matrix, relevant))
    return out


def score(
    rows: list[tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]], w: np.ndarray[Any, Any]
) -> tuple[float, float]:
    """(MRR@10, hit@5) of ranking by w @ signals."""
    rr = hits = 0.0
    for matrix, relevant in rows:
        order = np.argsort(-(w @ matrix), kind="stable")[:10]
        rank = next((r + 1 for r, j in enumerate(order) if relevant[j]), None)
        if rank is not None:
            rr += 1 / rank
            hits += rank <= 5
    n = len(rows) or 1
    return rr / n, hits / n


def main() -> None:
    assistant = Assistant().warm_up()
    grid = np.round(np.arange(0, 1 + STEP / 2, STEP), 2)
    weightings = [
        np.array(w) for w in itertools.product(grid, repeat=len(SIGNALS)) if abs(sum(w) - 1) < 1e-9
    ]
    for name in sys.argv[1:]:
        rows = signals(assistant, Path(name))
        system = score(rows, np.array([1.0, 0, 0, 0]))
        best = max(weightings, key=lambda w: score(rows, w))
        mrr, hit5 = score(rows, best)
        weights = ", ".join(f"{s} {x:.1f}" for s, x in zip(SIGNALS, best))
        print(
            f"{name}: {len(rows)} questions; system MRR@10 {system[0]:.3f}, "
            f"hit@5 {system[1]:.3f}; best weighting fitted on these questions ({weights}): "
            f"MRR@10 {mrr:.3f}, hit@5 {hit5:.3f}"
        )


if __name__ == "__main__":
    main()
