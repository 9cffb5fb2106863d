"""Incremental, atomic indexing on a temporary Chroma with deterministic fake embeddings."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from ldn_assistant.corpus import load_corpus
from ldn_assistant.index import IndexMissing, IndexStore
from ldn_assistant.settings import Settings


class CountingEmbeddings(DeterministicFakeEmbedding):
    """Fake embeddings that record every text they embed (and can fail on demand)."""

    calls: list[str]
    fail_after: int | None = None

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.fail_after is not None and len(self.calls) >= self.fail_after:
            raise RuntimeError("simulated crash while embedding")
        self.calls.extend(texts)
        return super().embed_documents(texts)


def _store(settings: Settings) -> tuple[IndexStore, CountingEmbeddings]:
    emb = CountingEmbeddings(size=32, calls=[])
    return IndexStore(settings, emb), emb


def _docs(settings: Settings):
    return load_corpus(settings.corpus_dir).documents


def test_first_build_then_no_change_embeds_nothing(fake_settings: Settings):
    store, emb = _store(fake_settings)
    report = store.update(_docs(fake_settings))
    assert report.rebuilt_reason == "no index yet"
    assert sorted(report.added) == ["alpha", "beta"]
    built = len(emb.calls)
    assert built == report.chunks == 6
    chunks, vectors = store.load_chunks()
    assert len(chunks) == 6 and vectors.shape == (6, 32)

    again = store.update(_docs(fake_settings))
    assert not again.changed_anything
    assert len(emb.calls) == built  # nothing re-embedded
    assert again.summary() == "Index is up to date: 2 documents, 6 chunks."


def test_changed_added_and_removed_documents(fake_settings: Settings, tiny_corpus: Path):
    store, emb = _store(fake_settings)
    store.update(_docs(fake_settings))
    before = {c.id for c in store.load_chunks()[0] if c.doc_id == "alpha"}
    emb.calls.clear()

    (tiny_corpus / "beta.txt").write_text("Beta notes changed now with other words in them.\n")
    (tiny_corpus / "gamma.md").write_text("# Gamma\n\nGamma is a new document with words.\n")
    report = store.update(_docs(fake_settings))
    assert (report.added, report.changed, report.unchanged) == (["gamma"], ["beta"], ["alpha"])
    assert all("Alpha" not in t for t in emb.calls)  # the unchanged document was copied
    chunks, _ = store.load_chunks()
    assert {c.id for c in chunks if c.doc_id == "alpha"} == before  # ids stable
    assert {c.doc_id for c in chunks} == {"alpha", "beta", "gamma"}

    (tiny_corpus / "gamma.md").unlink()
    report = store.update(_docs(fake_settings))
    assert report.removed == ["gamma"]
    assert {c.doc_id for c in store.load_chunks()[0]} == {"alpha", "beta"}


def test_parameter_change_rebuilds_everything(fake_settings: Settings):
    store, _ = _store(fake_settings)
    store.update(_docs(fake_settings))
    changed = fake_settings.model_copy(update={"chunk_size": 400})
    store2, emb2 = _store(changed)
    report = store2.update(_docs(changed))
    assert report.rebuilt_reason == "embedding model or chunking parameters changed"
    assert len(emb2.calls) == report.chunks == 4


def test_crash_half_way_leaves_the_previous_index_usable(
    fake_settings: Settings, tiny_corpus: Path
):
    store, _ = _store(fake_settings)
    store.update(_docs(fake_settings))
    manifest_before = store.manifest_path.read_text()
    chunks_before = [c.id for c in store.load_chunks()[0]]

    (tiny_corpus / "beta.txt").write_text("Beta text replaced. " * 30)
    crashing, emb = _store(fake_settings.model_copy(update={"embedding_batch_size": 1}))
    emb.fail_after = 1
    with pytest.raises(RuntimeError, match="simulated crash"):
        crashing.update(_docs(fake_settings))
    assert store.manifest_path.read_text() == manifest_before
    fresh, _ = _store(fake_settings)
    assert [c.id for c in fresh.load_chunks()[0]] == chunks_before

    # The next run cleans up the half-written collection and succeeds.
    fresh.update(_docs(fake_settings))
    names = [c.name for c in fresh.client().list_collections()]
    assert names == [json.loads(fresh.manifest_path.read_text())["collection"]]


_KILL_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from langchain_core.embeddings import DeterministicFakeEmbedding
    from ldn_assistant.corpus import load_corpus
    from ldn_assistant.index import IndexStore
    from ldn_assistant.settings import Settings

    class Slow(DeterministicFakeEmbedding):
        def embed_documents(self, texts):
            print("embedding", flush=True)
            time.sleep(0.5)
            return super().embed_documents(texts)

    settings = Settings(corpus_dir=sys.argv[1], index_dir=sys.argv[2], embedding_model="fake:32",
                        chunk_size=120, embedding_batch_size=1)
    IndexStore(settings, Slow(size=32)).update(load_corpus(settings.corpus_dir).documents,
                                               rebuild=True)
    """
)


def test_sigkill_during_rebuild_keeps_the_last_good_index(fake_settings: Settings):
    store, _ = _store(fake_settings)
    store.update(_docs(fake_settings))
    before = [c.id for c in store.load_chunks()[0]]
    store.close()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _KILL_SCRIPT,
            str(fake_settings.corpus_dir),
            str(fake_settings.index_dir),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    seen = 0
    for line in proc.stdout:
        seen += line.startswith("embedding")
        if seen == 2:  # killed in the middle of the rebuild
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    reopened, _ = _store(fake_settings)
    assert [c.id for c in reopened.load_chunks()[0]] == before
    assert reopened.query(reopened.load_chunks()[1][0], 2)[0][1] == pytest.approx(1.0, abs=1e-4)


def test_stats_and_missing_index(fake_settings: Settings):
    store, _ = _store(fake_settings)
    with pytest.raises(IndexMissing, match="run `ldn-assistant index`"):
        store.stats()
    store.update(_docs(fake_settings))
    stats = store.stats()
    assert (stats["documents"], stats["chunks"], stats["embedding_model"]) == (2, 6, "fake:32")
    assert stats["size_on_disk_bytes"] > 0


def _cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "LDN_EMBEDDING_MODEL": settings.embedding_model,
        "LDN_CHUNK_SIZE": str(settings.chunk_size),
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "ldn_assistant.cli",
            "--corpus-dir",
            str(settings.corpus_dir),
            "--index-dir",
            str(settings.index_dir),
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_cli_no_change_index_is_fast_and_loads_no_model(fake_settings: Settings, tiny_corpus: Path):
    (tiny_corpus / "broken.pdf").write_bytes(b"garbage")
    first = _cli(fake_settings, "index")
    assert first.returncode == 0, first.stderr
    assert "broken.pdf: broken or unreadable PDF" in first.stderr
    assert "1 file(s) skipped" in first.stdout
    probe = textwrap.dedent(
        f"""
        import sys, time
        t = time.perf_counter()
        from ldn_assistant.cli import main
        code = main(["--corpus-dir", {str(fake_settings.corpus_dir)!r}, "--index-dir",
                     {str(fake_settings.index_dir)!r}, "index"])
        heavy = [m for m in ("torch", "sentence_transformers", "chromadb") if m in sys.modules]
        print("HEAVY", heavy, "SECONDS", time.perf_counter() - t)
        sys.exit(code)
        """
    )
    env = {**os.environ, "LDN_EMBEDDING_MODEL": "fake:32", "LDN_CHUNK_SIZE": "120"}
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    assert out.returncode == 0, out.stderr
    assert "Index is up to date: 2 documents, 6 chunks." in out.stdout
    assert "HEAVY []" in out.stdout
    assert wall < 3.0


def test_help_imports_nothing_heavy():
    probe = (
        "import sys\nfrom ldn_assistant.cli import build_parser\nbuild_parser()\n"
        "print([m for m in ('torch','sentence_transformers','chromadb','gradio') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.stdout.strip() == "[]"
    helped = subprocess.run(
        [sys.executable, "-m", "ldn_assistant.cli", "--help"], capture_output=True, text=True
    )
    assert helped.returncode == 0
    for command in ("index", "add", "ask", "eval", "serve"):
        assert command in helped.stdout


def test_cli_stats(fake_settings: Settings):
    assert _cli(fake_settings, "index").returncode == 0
    out = _cli(fake_settings, "index", "--stats", "--json")
    stats = json.loads(out.stdout)
    assert (stats["documents"], stats["chunks"]) == (2, 6)


def test_cli_add_copies_and_indexes(fake_settings: Settings, tmp_path: Path):
    assert _cli(fake_settings, "index").returncode == 0
    new = tmp_path / "new-article.md"
    new.write_text("# New article\n\nA new article arrives with several words of text.\n")
    out = _cli(fake_settings, "add", str(new))
    assert out.returncode == 0, out.stderr
    assert (fake_settings.corpus_dir / "new-article.md").is_file()
    assert "1 added, 0 changed, 0 removed, 2 unchanged" in out.stdout
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x00binary")
    refused = _cli(fake_settings, "add", str(bad))
    assert refused.returncode == 1
    assert "Not added:" in refused.stderr and "binary content" in refused.stderr
    assert not (fake_settings.corpus_dir / "bad.txt").exists()
