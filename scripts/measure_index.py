"""Index build throughput against a plain `SentenceTransformer.encode` of the same chunk texts,
measured in one process (medians of 3 runs each). Run: `.venv/bin/python scripts/measure_index.py`
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from ldn_assistant.chunking import chunk_document, embedding_text
from ldn_assistant.corpus import load_corpus
from ldn_assistant.embeddings import SentenceTransformerEmbeddings
from ldn_assistant.index import IndexStore
from ldn_assistant.settings import Settings

RUNS = 3


def main() -> None:
    settings = Settings()
    docs = load_corpus(settings.corpus_dir).documents
    chunks = [
        c for d in docs for c in chunk_document(d, settings.chunk_size, settings.chunk_overlap)
    ]
    texts = [embedding_text(c) for c in chunks]
    embeddings = SentenceTransformerEmbeddings.from_settings(settings)
    model = embeddings.warm_up()
    model.encode(texts[:8])  # first call pays one-off costs for both contenders

    plain, build = [], []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        model.encode(texts, batch_size=settings.embedding_batch_size, normalize_embeddings=True)
        plain.append(time.perf_counter() - t0)
        with tempfile.TemporaryDirectory() as tmp:
            store = IndexStore(settings.model_copy(update={"index_dir": Path(tmp)}), embeddings)
            t0 = time.perf_counter()
            store.update(docs, rebuild=True)
            build.append(time.perf_counter() - t0)
            store.close()
    p, b = statistics.median(plain), statistics.median(build)
    print(
        f"{len(chunks)} chunks; plain encode {p:.2f} s ({len(chunks) / p:.0f} chunks/s); "
        f"index build {b:.2f} s ({len(chunks) / b:.0f} chunks/s); throughput ratio {p / b:.2f}"
    )


if __name__ == "__main__":
    main()
