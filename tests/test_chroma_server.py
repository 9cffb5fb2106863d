"""Client/server mode: a real `chroma run` server on 127.0.0.1 holds the index."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ldn_assistant.corpus import load_corpus
from ldn_assistant.index import IndexStore
from ldn_assistant.settings import Settings

pytestmark = pytest.mark.server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    exe = Path(sys.executable).parent / "chroma"
    chroma = str(exe) if exe.exists() else shutil.which("chroma")
    assert chroma, "the `chroma` command ships with chromadb"
    port = _free_port()
    proc = subprocess.Popen(
        [
            chroma,
            "run",
            "--path",
            str(tmp_path / "server-data"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("chroma server did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_index_lives_in_a_chroma_server(fake_settings: Settings, chroma_url: str):
    settings = fake_settings.model_copy(update={"chroma_url": chroma_url})
    store = IndexStore(settings)
    docs = load_corpus(settings.corpus_dir).documents
    report = store.update(docs)
    assert report.chunks == 6
    assert not (settings.index_dir / "chroma").exists()  # nothing embedded locally

    other = IndexStore(settings)  # a second client sees the same collection
    chunks, vectors = other.load_chunks()
    assert len(chunks) == 6 and vectors.shape == (6, 32)
    hits = other.query(vectors[0], 1)
    assert hits[0][0] == chunks[0].id
    assert not other.update(docs).changed_anything
    assert other.stats()["store"] == chroma_url
