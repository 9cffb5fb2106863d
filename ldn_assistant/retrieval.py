"""Hybrid retrieval: dense (Chroma) and lexical (BM25) rankings fused by reciprocal rank."""

from __future__ import annotations

from collections.abc import Collection as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ldn_assistant.chunking import embedding_text
from ldn_assistant.lexicon import Synonyms, bm25_tokens
from ldn_assistant.models import Chunk, RetrievedChunk
from ldn_assistant.settings import Settings

if TYPE_CHECKING:
    from ldn_assistant.index import IndexStore


@dataclass(frozen=True)
class Query:
    text: str  # what the user asked (after cleaning)
    search_text: str  # what is searched: conversation context and synonyms added
    vector: np.ndarray[Any, Any]


class HybridRetriever:
    """Ranks chunks for a query. Holds the chunk list, their vectors and a BM25 index."""

    def __init__(
        self,
        settings: Settings,
        store: IndexStore,
        chunks: list[Chunk],
        vectors: np.ndarray[Any, Any],
        synonyms: Synonyms,
    ):
        import bm25s

        self.settings = settings
        self.store = store
        self.chunks = chunks
        self.vectors = vectors
        self.synonyms = synonyms
        self.position = {c.id: i for i, c in enumerate(chunks)}
        self._bm25 = bm25s.BM25()
        corpus_tokens = [bm25_tokens(embedding_text(c)) or ["<empty>"] for c in chunks]
        self._bm25.index(corpus_tokens, show_progress=False)

    def dense(self, query: Query, n: int, allowed: AbstractSet[str] | None) -> list[int]:
        hits = self.store.query(query.vector, n if allowed is None else len(self.chunks))
        out = [self.position[cid] for cid, _ in hits if cid in self.position]
        if allowed is not None:
            out = [i for i in out if self.chunks[i].doc_id in allowed]
        return out[:n]

    def lexical(self, query: Query, n: int, allowed: AbstractSet[str] | None) -> list[int]:
        tokens = bm25_tokens(query.search_text)
        if not tokens:
            return []
        scores = self._bm25.get_scores(tokens)
        order = [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] > 0]
        if allowed is not None:
            order = [i for i in order if self.chunks[i].doc_id in allowed]
        return order[:n]

    def retrieve(
        self,
        query: Query,
        k: int,
        allowed: AbstractSet[str] | None = None,
        also: Query | None = None,
    ) -> list[RetrievedChunk]:
        """Top `k` chunks by weighted reciprocal rank fusion of the dense and BM25 rankings
        (of `query`, and of `also` when given: a follow-up's own words beside its context)."""
        n = self.settings.candidates
        queries = [query] if also is None else [query, also]
        rankings: list[tuple[float, list[int]]] = []
        for q in queries:
            rankings.append((self.settings.dense_weight, self.dense(q, n, allowed)))
            rankings.append((self.settings.lexical_weight, self.lexical(q, n, allowed)))
        rrf = self.settings.rrf_k
        fused: dict[int, float] = {}
        for weight, ranking in rankings:
            for rank, i in enumerate(ranking):
                fused[i] = fused.get(i, 0.0) + weight / (rrf + rank + 1)
        dense_rank = {i: r + 1 for r, i in enumerate(rankings[0][1])}
        lexical_rank = {i: r + 1 for r, i in enumerate(rankings[1][1])}
        best = sorted(fused, key=lambda i: (-fused[i], dense_rank.get(i, 10**6)))[:k]
        vectors = np.stack([q.vector for q in queries])
        sims = (self.vectors[best] @ vectors.T).max(axis=1) if best else np.zeros(0)
        return [
            RetrievedChunk(
                chunk=self.chunks[i],
                score=fused[i],
                similarity=float(s),
                dense_rank=dense_rank.get(i),
                lexical_rank=lexical_rank.get(i),
            )
            for i, s in zip(best, sims)
        ]
