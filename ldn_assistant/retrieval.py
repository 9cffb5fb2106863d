"""Hybrid retrieval: dense (Chroma) and lexical (BM25) scores, fused (see `HybridRetriever`)."""

from __future__ import annotations

import re
from collections.abc import Collection as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ldn_assistant.adapter import adapt
from ldn_assistant.chunking import embedding_text
from ldn_assistant.lexicon import Synonyms, bm25_tokens, document_frequencies
from ldn_assistant.models import Chunk, RetrievedChunk
from ldn_assistant.sentences import text_sentences
from ldn_assistant.settings import Settings

if TYPE_CHECKING:
    from ldn_assistant.index import IndexStore


@dataclass(frozen=True)
class Query:
    text: str  # what the user asked (after cleaning)
    search_text: str  # what is searched: conversation context and synonyms added
    vector: np.ndarray[Any, Any]
    # The search text without the corpus's topic words ("LDN"), encoded; None when the
    # question has no other words. See `HybridRetriever.topic_free`.
    free_vector: np.ndarray[Any, Any] | None = None


def min_max(scores: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Scores scaled to [0, 1] (all zeros when they are all equal)."""
    if not len(scores):
        return scores
    low, high = float(scores.min()), float(scores.max())
    return (scores - low) / (high - low) if high > low else np.zeros_like(scores)


class HybridRetriever:
    """Ranks chunks for a query. Holds the chunk list, their vectors and a BM25 index.

    Candidates come from Chroma (nearest chunks to the question, and to the question without
    the corpus's topic words) and from BM25; they are then scored exactly and fused:
    `convex` (default) adds the min-max scaled dense and BM25 scores with weights
    `convex_dense_share` and 1 - `convex_dense_share`; `rrf` is reciprocal rank fusion.
    Measured on the development questions (README), the convex fusion ranks better: RRF
    ignores how far apart scores are, so a chunk that is BM25's clear first (the only one
    naming "antidepressant") but not among the dense candidates loses to chunks that are
    middling in both rankings.
    """

    def __init__(
        self,
        settings: Settings,
        store: IndexStore,
        chunks: list[Chunk],
        vectors: np.ndarray[Any, Any],
        synonyms: Synonyms,
        adapter: np.ndarray[Any, Any] | None = None,
    ):
        import bm25s

        self.settings = settings
        self.store = store
        self.chunks = chunks
        self.vectors = vectors
        self.synonyms = synonyms
        # The query adapter (see `ldn_assistant.adapter`): question vectors are mapped by it
        # for ranking; the similarities returned with each chunk are the model's own.
        self.adapter = adapter
        self.position = {c.id: i for i, c in enumerate(chunks)}
        self._sentence_texts: dict[int, list[str]] = {}
        self._bm25 = bm25s.BM25()
        corpus_tokens = [bm25_tokens(embedding_text(c)) or ["<empty>"] for c in chunks]
        self._bm25.index(corpus_tokens, show_progress=False)
        # The corpus's topic: tokens in more than `topic_share` of the passages ("ldn" here).
        counts = document_frequencies(corpus_tokens)
        self.topic = {t for t, n in counts.items() if n > settings.topic_share * len(chunks)}

    def topic_free(self, text: str) -> str | None:
        """`text` without the words of the corpus's topic, or None if nothing else is left.

        Every passage here is about LDN; in a question's embedding "LDN" weighs as much as
        what is asked about it, and pulls the question towards passages that repeat the
        name. The dense score mixes both versions (`topic_free_weight`)."""
        given = text.split()
        kept = [w for w in given if not set(bm25_tokens(w)) & self.topic]
        if len(kept) == len(given) or not bm25_tokens(" ".join(kept)):
            return None
        return " ".join(kept)

    def _ranking_vectors(self, query: Query) -> list[np.ndarray[Any, Any]]:
        """The question's vector, and its topic-free one if any, as the ranking uses them."""
        return [adapt(v, self.adapter) for v in _given(query)]

    def _dense_scores(
        self, query: Query, ranking: list[np.ndarray[Any, Any]], rows: list[int]
    ) -> np.ndarray[Any, Any]:
        """Dense scores of `rows`; `ranking` is the query's `_ranking_vectors`."""
        vectors = self.vectors[rows]
        scores = self._cosines(vectors, ranking)
        share = self.settings.adapter_share
        if self.adapter is not None and share < 1:
            scores = share * scores + (1 - share) * self._cosines(vectors, _given(query))
        return scores

    def _cosines(
        self, vectors: np.ndarray[Any, Any], query_vectors: list[np.ndarray[Any, Any]]
    ) -> np.ndarray[Any, Any]:
        scores = vectors @ query_vectors[0]
        if len(query_vectors) > 1:
            w = self.settings.topic_free_weight
            scores = (1 - w) * scores + w * (vectors @ query_vectors[1])
        return scores  # type: ignore[no-any-return]

    def closest(self, query: Query, allowed: AbstractSet[str] | None = None) -> float:
        """The model's own cosine of the question to the closest passage (of `allowed`
        articles), the adapter left out."""
        rows = [i for i, c in enumerate(self.chunks) if allowed is None or c.doc_id in allowed]
        return float((self.vectors[rows] @ query.vector).max()) if rows else 0.0

    def _sentences(self, row: int) -> list[str]:
        """The sentences of chunk `row` (list markers left out), computed once."""
        if row not in self._sentence_texts:
            self._sentence_texts[row] = text_sentences(self.chunks[row].text)
        return self._sentence_texts[row]

    def _candidates(
        self,
        queries: list[Query],
        rankings: list[list[np.ndarray[Any, Any]]],
        allowed: AbstractSet[str] | None,
    ) -> list[int]:
        n = self.settings.candidates
        depth = n if allowed is None else len(self.chunks)
        pool: dict[int, None] = {}
        for q, ranking in zip(queries, rankings):
            for vector in ranking:
                for cid, _ in self.store.query(vector, depth):
                    if cid in self.position:
                        i = self.position[cid]
                        if allowed is None or self.chunks[i].doc_id in allowed:
                            pool.setdefault(i)
            pool.update(dict.fromkeys(self.lexical(q, n, allowed)))
        return list(pool)

    def lexical(self, query: Query, n: int, allowed: AbstractSet[str] | None) -> list[int]:
        """Chunk positions by BM25 score (those matching at least one query token)."""
        scores = self._lexical_scores(query)
        order = [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] > 0]
        if allowed is not None:
            order = [i for i in order if self.chunks[i].doc_id in allowed]
        return order[:n]

    def _lexical_scores(self, query: Query) -> np.ndarray[Any, Any]:
        tokens = bm25_tokens(query.search_text)
        # Only the corpus's subject ("What is LDN?"): BM25 would rank passages by how often
        # they repeat the name, so it has nothing to say.
        if not set(tokens) - self.topic:
            return np.zeros(len(self.chunks))
        return np.asarray(self._bm25.get_scores(tokens))

    def retrieve(
        self,
        query: Query,
        k: int,
        allowed: AbstractSet[str] | None = None,
        also: Query | None = None,
        prefer: re.Pattern[str] | None = None,
    ) -> list[RetrievedChunk]:
        """Top `k` chunks for `query` (and `also` when given: a follow-up's own words beside
        its context), by the fusion the settings choose. Chunks with a sentence matching
        `prefer` (one that says what the asked-about term is) get `prefer_bonus`."""
        queries = [query] if also is None else [query, also]
        rankings = [self._ranking_vectors(q) for q in queries]  # adapted once per query
        rows = self._candidates(queries, rankings, allowed)
        if not rows:
            return []
        dense = [self._dense_scores(q, r, rows) for q, r in zip(queries, rankings)]
        lexical = [self._lexical_scores(q)[rows] for q in queries]
        fused = np.zeros(len(rows))
        if self.settings.fusion == "convex":
            share = self.settings.convex_dense_share
            for d, b in zip(dense, lexical):
                fused += share * min_max(d) + (1 - share) * min_max(b)
        else:
            n, rrf = self.settings.candidates, self.settings.rrf_k
            for d, b in zip(dense, lexical):
                for weight, scores, matched in (
                    (self.settings.dense_weight, d, np.ones(len(rows), dtype=bool)),
                    (self.settings.lexical_weight, b, b > 0),
                ):
                    order = [j for j in np.argsort(-scores, kind="stable") if matched[j]][:n]
                    for rank, j in enumerate(order):
                        fused[j] += weight / (rrf + rank + 1)
        if prefer is not None:
            # On the scale of the fusion's own scores (convex: up to 1; RRF: a few hundredths).
            bonus = self.settings.prefer_bonus * float(fused.max(initial=0.0))
            for j, row in enumerate(rows):
                if any(prefer.search(t) for t in self._sentences(row)):
                    fused[j] += bonus
        dense_rank = _ranks(dense[0])
        lexical_rank = _ranks(lexical[0], matched=lexical[0] > 0)
        best = sorted(range(len(rows)), key=lambda j: (-fused[j], dense_rank.get(j, 10**6)))[:k]
        vectors = np.stack([q.vector for q in queries])
        sims = (self.vectors[[rows[j] for j in best]] @ vectors.T).max(axis=1)
        return [
            RetrievedChunk(
                chunk=self.chunks[rows[j]],
                score=float(fused[j]),
                similarity=float(s),
                dense_rank=dense_rank.get(j),
                lexical_rank=lexical_rank.get(j),
            )
            for j, s in zip(best, sims)
        ]


def _given(query: Query) -> list[np.ndarray[Any, Any]]:
    """The question's own vector, and its topic-free one if any."""
    return [query.vector] if query.free_vector is None else [query.vector, query.free_vector]


def _ranks(
    scores: np.ndarray[Any, Any], matched: np.ndarray[Any, Any] | None = None
) -> dict[int, int]:
    """1-based rank of each position by descending score (only `matched` ones, if given)."""
    order = [int(j) for j in np.argsort(-scores, kind="stable")]
    if matched is not None:
        order = [j for j in order if matched[j]]
    return {j: r + 1 for r, j in enumerate(order)}
