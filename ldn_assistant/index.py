"""The vector index: the only module that touches Chroma.

Every change writes a new collection (copying the vectors of unchanged documents, embedding
only new and changed ones) and then switches `manifest.json` to it with an atomic rename.
A process killed half-way leaves the previous manifest and its collection untouched; the
half-written collection is removed by the next run.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import numpy as np

from ldn_assistant.chunking import chunk_document, embedding_text
from ldn_assistant.models import Chunk, SourceDocument
from ldn_assistant.settings import Settings

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from chromadb.api.types import Where
    from langchain_core.embeddings import Embeddings

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1
# Bump when `embedding_text` changes: every stored vector must then be recomputed.
EMBEDDING_TEXT_VERSION = 2


class IndexMissing(RuntimeError):
    """No usable index: run `ldn-assistant index`."""


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rebuilt_reason: str | None = None
    chunks: int = 0
    embedded_chunks: int = 0
    embed_seconds: float = 0.0
    seconds: float = 0.0

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.rebuilt_reason)

    def summary(self) -> str:
        if not self.changed_anything:
            return f"Index is up to date: {len(self.unchanged)} documents, {self.chunks} chunks."
        head = f"Index rebuilt ({self.rebuilt_reason})" if self.rebuilt_reason else "Index updated"
        return (
            f"{head}: {len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.removed)} removed, {len(self.unchanged)} unchanged; "
            f"{self.chunks} chunks ({self.embedded_chunks} embedded) in {self.seconds:.1f} s."
        )


def index_params(settings: Settings) -> dict[str, Any]:
    """What every stored vector depends on; a change means a full rebuild."""
    return {
        "embedding_model": settings.embedding_model,
        "chunk_size": settings.chunk_size,
        "chunk_overlap": settings.chunk_overlap,
        "embedding_text_version": EMBEDDING_TEXT_VERSION,
    }


class IndexStore:
    """Chroma collection + manifest for one corpus."""

    def __init__(self, settings: Settings, embeddings: Embeddings | None = None):
        self.settings = settings
        self._embeddings = embeddings
        self._client: ClientAPI | None = None
        self._collection: Collection | None = None

    # ---- manifest ------------------------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        return self.settings.index_dir / MANIFEST_NAME

    def read_manifest(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("version") == MANIFEST_VERSION else None

    def _write_manifest(self, manifest: dict[str, Any]) -> None:
        tmp = self.manifest_path.with_suffix(f".tmp-{os.getpid()}")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, indent=2, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.manifest_path)

    # ---- chroma --------------------------------------------------------------------------
    @property
    def embeddings(self) -> Embeddings:
        if self._embeddings is None:
            from ldn_assistant.embeddings import make_embeddings

            self._embeddings = make_embeddings(self.settings)
        return self._embeddings

    def client(self) -> ClientAPI:
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False)
            if self.settings.chroma_url:
                url = urlparse(self.settings.chroma_url)
                self._client = chromadb.HttpClient(
                    host=url.hostname or "127.0.0.1",
                    port=url.port or (443 if url.scheme == "https" else 8000),
                    ssl=url.scheme == "https",
                    settings=chroma_settings,
                )
            else:
                path = self.settings.index_dir / "chroma"
                path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        return self._client

    def collection(self) -> Collection:
        """The active collection named by the manifest."""
        if self._collection is None:
            manifest = self.read_manifest()
            if manifest is None:
                raise IndexMissing(
                    f"No index at {self.settings.index_dir}: run `ldn-assistant index`."
                )
            try:
                self._collection = self.client().get_collection(manifest["collection"])
            except Exception as exc:  # chromadb raises NotFoundError/ValueError by version
                raise IndexMissing(
                    f"The index names collection {manifest['collection']!r}, which the Chroma "
                    f"store does not have: run `ldn-assistant index --rebuild`."
                ) from exc
        return self._collection

    def close(self) -> None:
        self._collection = None
        if self._client is not None:
            close = getattr(self._client, "close", None)
            if callable(close):
                close()
            self._client = None

    @contextmanager
    def _lock(self) -> Iterator[None]:
        self.settings.index_dir.mkdir(parents=True, exist_ok=True)
        with open(self.settings.index_dir / ".lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    # ---- update --------------------------------------------------------------------------
    def plan(self, documents: list[SourceDocument], rebuild: bool = False) -> IndexReport:
        """What `update` would do, without touching Chroma or the model."""
        report = IndexReport()
        manifest = self.read_manifest()
        old_docs: dict[str, Any] = manifest["documents"] if manifest else {}
        if manifest is None:
            report.rebuilt_reason = "no index yet"
        elif rebuild:
            report.rebuilt_reason = "rebuild requested"
        elif manifest.get("params") != index_params(self.settings):
            report.rebuilt_reason = "embedding model or chunking parameters changed"
        elif not self.settings.chroma_url and not (self.settings.index_dir / "chroma").is_dir():
            report.rebuilt_reason = "Chroma files are missing"
        for doc in documents:
            old = old_docs.get(doc.id)
            if report.rebuilt_reason or old is None:
                report.added.append(doc.id)
            elif old["hash"] != doc.content_hash:
                report.changed.append(doc.id)
            else:
                report.unchanged.append(doc.id)
        current = {d.id for d in documents}
        report.removed = sorted(set(old_docs) - current) if not report.rebuilt_reason else []
        report.chunks = sum(old_docs[d]["chunks"] for d in report.unchanged)
        return report

    def update(
        self,
        documents: list[SourceDocument],
        rebuild: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> IndexReport:
        """Bring the index in line with `documents`; see the module docstring."""
        started = time.perf_counter()
        with self._lock():
            report = self.plan(documents, rebuild)
            if not report.changed_anything:
                return report
            manifest = self.read_manifest()
            old_name = manifest["collection"] if manifest and not report.rebuilt_reason else None
            client = self.client()
            self._drop_orphans(keep=manifest["collection"] if manifest else None)
            stamp = time.strftime("%Y%m%d%H%M%S")
            name = f"{self.settings.collection_prefix}-{stamp}-{secrets.token_hex(3)}"
            new = client.create_collection(
                name, embedding_function=None, metadata={"hnsw:space": "cosine"}
            )
            if old_name:
                self._copy_documents(client.get_collection(old_name), new, report.unchanged)

            by_id = {d.id: d for d in documents}
            to_embed = [
                c
                for doc_id in report.added + report.changed
                for c in chunk_document(
                    by_id[doc_id], self.settings.chunk_size, self.settings.chunk_overlap
                )
            ]
            report.embed_seconds = self._embed_into(new, to_embed, progress)
            report.embedded_chunks = len(to_embed)

            counts: dict[str, int] = {}
            for c in to_embed:
                counts[c.doc_id] = counts.get(c.doc_id, 0) + 1
            old_docs = manifest["documents"] if manifest else {}
            docs_entry = {}
            for doc in documents:
                n = counts.get(doc.id, old_docs.get(doc.id, {}).get("chunks", 0))
                docs_entry[doc.id] = {
                    "hash": doc.content_hash,
                    "title": doc.title,
                    "path": doc.path,
                    "chunks": n,
                }
            report.chunks = sum(e["chunks"] for e in docs_entry.values())
            self._write_manifest(
                {
                    "version": MANIFEST_VERSION,
                    "collection": name,
                    "params": index_params(self.settings),
                    "documents": docs_entry,
                    "chunks": report.chunks,
                    "updated": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                }
            )
            self._collection = None
            if manifest:
                self._delete_collection(manifest["collection"])
        report.seconds = time.perf_counter() - started
        return report

    def _embed_into(
        self,
        collection: Collection,
        chunks: list[Chunk],
        progress: Callable[[int, int], None] | None,
    ) -> float:
        from ldn_assistant.embeddings import encode

        batch = max(self.settings.embedding_batch_size, 1)
        spent = 0.0
        for i in range(0, len(chunks), batch):
            part = chunks[i : i + batch]
            t0 = time.perf_counter()
            vectors = encode(self.embeddings, [embedding_text(c) for c in part])
            spent += time.perf_counter() - t0
            collection.add(
                ids=[c.id for c in part],
                embeddings=vectors,
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],
            )
            if progress:
                progress(min(i + batch, len(chunks)), len(chunks))
        return spent

    def _copy_documents(self, old: Collection, new: Collection, doc_ids: list[str]) -> None:
        if not doc_ids:
            return
        page = 1000
        values: list[str | int | float | bool] = list(doc_ids)
        where: Where = {"doc_id": {"$in": values}}  # type: ignore[dict-item]  # stub too narrow
        for offset in range(0, 10**9, page):
            got = old.get(
                where=where,
                include=["embeddings", "documents", "metadatas"],
                limit=page,
                offset=offset,
            )
            if not got["ids"]:
                break
            new.add(
                ids=got["ids"],
                embeddings=got["embeddings"],
                documents=got["documents"],
                metadatas=got["metadatas"],
            )

    def _delete_collection(self, name: str) -> None:
        with contextlib.suppress(Exception):  # already gone: nothing to clean
            self.client().delete_collection(name)

    def _drop_orphans(self, keep: str | None) -> None:
        """Remove collections of this prefix left behind by an interrupted run."""
        prefix = self.settings.collection_prefix + "-"
        for col in self.client().list_collections():
            name = col if isinstance(col, str) else col.name
            if name.startswith(prefix) and name != keep:
                self._delete_collection(name)

    # ---- reading -------------------------------------------------------------------------
    def load_chunks(self) -> tuple[list[Chunk], np.ndarray[Any, Any]]:
        """Every chunk of the active collection with its unit vector (row i <-> chunk i)."""
        col = self.collection()
        got = col.get(include=["embeddings", "documents", "metadatas"])
        chunks: list[Chunk] = []
        for cid, text, meta in zip(got["ids"], got["documents"] or [], got["metadatas"] or []):
            chunks.append(
                Chunk(
                    id=cid,
                    doc_id=str(meta["doc_id"]),
                    title=str(meta["title"]),
                    section=str(meta.get("section") or ""),
                    text=text,
                    start=int(meta["start"]),  # type: ignore[arg-type]
                    end=int(meta["end"]),  # type: ignore[arg-type]
                )
            )
        vectors = np.asarray(got["embeddings"], dtype=np.float32)
        order = sorted(range(len(chunks)), key=lambda i: (chunks[i].doc_id, chunks[i].start))
        return [chunks[i] for i in order], vectors[order] if len(order) else vectors

    def query(self, vector: np.ndarray[Any, Any], n: int) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the `n` nearest chunks."""
        col = self.collection()
        n = min(n, col.count())
        if n <= 0:
            return []
        res = col.query(query_embeddings=[vector.tolist()], n_results=n, include=["distances"])
        ids = res["ids"][0]
        distances = (res["distances"] or [[]])[0]
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, distances)]

    def stats(self) -> dict[str, Any]:
        manifest = self.read_manifest()
        if manifest is None:
            raise IndexMissing(f"No index at {self.settings.index_dir}: run `ldn-assistant index`.")
        size = sum(p.stat().st_size for p in self.settings.index_dir.rglob("*") if p.is_file())
        return {
            "documents": len(manifest["documents"]),
            "chunks": manifest["chunks"],
            "embedding_model": manifest["params"]["embedding_model"],
            "chunk_size": manifest["params"]["chunk_size"],
            "chunk_overlap": manifest["params"]["chunk_overlap"],
            "collection": manifest["collection"],
            "store": self.settings.chroma_url or str(self.settings.index_dir / "chroma"),
            "size_on_disk_bytes": size,
            "updated": manifest.get("updated"),
        }
