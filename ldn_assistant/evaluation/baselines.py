"""Retrieval baselines scored beside the assistant on the same questions.

- textbook: LangChain's RecursiveCharacterTextSplitter (1000/200 characters), the same
  embedding model, Chroma top-k by cosine;
- bm25: BM25 alone over the assistant's own chunks.
"""

from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING, Any

import numpy as np

from ldn_assistant.embeddings import encode
from ldn_assistant.models import SourceDocument

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from ldn_assistant.assistant import Assistant


class TextbookRetriever:
    """The common tutorial setup: 1000/200 character chunks, dense top-k from Chroma."""

    def __init__(
        self,
        documents: list[SourceDocument],
        embeddings: Embeddings,
        chunk_size: int = 1000,
        chunk_overlap: int = 200,
    ):
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(
            chunk_size=chunk_size, chunk_overlap=chunk_overlap
        )
        self.texts = [t for d in documents for t in splitter.split_text(d.text)]
        self.embeddings = embeddings
        self._dir = tempfile.TemporaryDirectory(prefix="ldn-baseline-")
        self._client = chromadb.PersistentClient(
            path=self._dir.name, settings=ChromaSettings(anonymized_telemetry=False)
        )
        self._col = self._client.create_collection(
            "textbook-baseline", embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        vectors = encode(embeddings, self.texts)
        self._col.add(
            ids=[str(i) for i in range(len(self.texts))],
            embeddings=vectors,
            documents=self.texts,
        )

    def retrieve(self, question: str, k: int) -> list[str]:
        vector = encode(self.embeddings, [question])[0]
        res = self._col.query(query_embeddings=[vector.tolist()], n_results=min(k, len(self.texts)))
        return list((res["documents"] or [[]])[0])

    def close(self) -> None:
        close = getattr(self._client, "close", None)  # chromadb >= 1.1
        if callable(close):
            close()
        self._dir.cleanup()


class BM25Retriever:
    """BM25 alone over the assistant's chunks (with the same synonym expansion)."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant

    def retrieve(self, question: str, k: int) -> list[str]:
        from ldn_assistant.retrieval import Query

        r = self.assistant.retriever
        query = Query(question, self.assistant.synonyms.expand(question), np.zeros(1))
        return [r.chunks[i].text for i in r.lexical(query, k, None)]


def build_baselines(assistant: Assistant, documents: list[SourceDocument]) -> dict[str, Any]:
    assistant.warm_up()
    return {
        "textbook": TextbookRetriever(documents, assistant._embeddings),
        "bm25": BM25Retriever(assistant),
    }
