"""The query adapter: its examples, what it learns, and that the assistant uses and keeps it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ldn_assistant.adapter import (
    ExampleBank,
    RetrievalExample,
    adapt,
    example_targets,
    load_examples,
    train_adapter,
)
from ldn_assistant.chunking import chunk_document
from ldn_assistant.corpus import load_corpus
from ldn_assistant.embeddings import similarities
from ldn_assistant.evaluation.metrics import first_relevant_rank
from ldn_assistant.models import Chunk
from ldn_assistant.settings import Settings

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
EXAMPLES = CORPUS / "retrieval_examples.jsonl"


def _chunk(i: int, doc: str, text: str) -> Chunk:
    return Chunk(id=f"{doc}-{i}", doc_id=doc, title=doc, section="", text=text, start=0, end=1)


def test_bad_example_lines_are_skipped_and_a_missing_file_gives_none(tmp_path: Path):
    path = tmp_path / "examples.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"question": "How is it taken?", "doc": "a", "quote": "by mouth"}),
                "not json",
                json.dumps({"question": "No quote", "doc": "a"}),
                json.dumps({"question": "  ", "doc": "a", "quote": "x"}),
                json.dumps({"question": "Null quote", "doc": "a", "quote": None}),
                "",
            ]
        ),
        "utf-8",
    )
    assert load_examples(path) == [RetrievalExample("How is it taken?", "a", "by mouth")]
    assert load_examples(tmp_path / "absent.jsonl") == []


def test_an_example_points_at_the_passage_of_its_article_holding_its_quote():
    chunks = [
        _chunk(0, "a", "It is taken at night."),
        _chunk(1, "a", "Vivid dreams are common.\nThey   fade with time."),
        _chunk(2, "b", "Vivid dreams are common."),
    ]
    examples = [
        RetrievalExample("Nightmares?", "b", "vivid dreams are common"),
        RetrievalExample("Do the dreams stop?", "a", "They fade with time"),  # spacing differs
        RetrievalExample("When?", "a", "taken in the morning"),  # not in the article
        RetrievalExample("When?", "c", "taken at night"),  # no such article
    ]
    assert example_targets(examples, chunks) == [2, 1, None, None]


def test_training_moves_a_question_to_its_passage_and_stays_near_the_identity():
    # Two passages; paraphrase questions start nearer the wrong one.
    passages = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], dtype=np.float32)
    questions = np.array([[0.8, 0.6, 0.0], [0.7, 0.7, 0.14], [0.0, 1.0, 0.0]], dtype=np.float32)
    questions /= np.linalg.norm(questions, axis=1, keepdims=True)
    targets = [1, 1, 1]
    weights = train_adapter(questions, targets, passages, regularization=0.001, steps=300)
    assert weights.shape == (3, 3)
    before = questions[0] @ passages.T
    after = adapt(questions[0], weights) @ passages.T
    assert before.argmax() == 0 and after.argmax() == 1
    assert abs(float(np.linalg.norm(adapt(questions[0], weights))) - 1.0) < 1e-5
    # Strong regularization keeps W at the identity: next to nothing is learnt.
    frozen = train_adapter(questions, targets, passages, regularization=100.0, steps=300)
    assert np.abs(frozen - np.eye(3)).max() < 0.05 < np.abs(weights - np.eye(3)).max()
    assert (adapt(questions[0], frozen) @ passages.T).argmax() == 0
    first = questions[0]
    assert adapt(first, None) is first


def test_the_example_bank_gives_the_quotes_of_the_nearest_questions():
    questions = np.asarray([[1, 0, 0], [0.6, 0.8, 0], [0, 0, 1]], dtype=np.float32)
    bank = ExampleBank(
        np.eye(3, dtype=np.float32), questions, ["Taken at NIGHT", "x", "by “mouth”"]
    )
    asked = np.asarray([0.8, 0.6, 0.0], dtype=np.float32)
    near = dict(bank.neighbours(asked, 2))
    assert set(near) == {"x", "taken at night"}  # normalized as the evidence is
    assert near["x"] == pytest.approx(0.96) and near["taken at night"] == pytest.approx(0.8)
    assert len(bank.neighbours(asked, 10)) == 3


def test_similarities_match_numpy_for_large_tables_and_single_vectors():
    import torch  # noqa: F401  (loaded, as it is once the model is)

    rng = np.random.default_rng(0)
    table = rng.standard_normal((300, 8)).astype(np.float32)
    vectors = rng.standard_normal((3, 8)).astype(np.float32)
    assert np.allclose(similarities(table, vectors), table @ vectors.T, atol=1e-5)
    assert np.allclose(similarities(table, vectors[0]), table @ vectors[0], atol=1e-5)
    assert similarities(table[:5], vectors).shape == (5, 3)


def test_the_shipped_examples_quote_the_corpus_and_are_not_evaluation_questions():
    examples = load_examples(EXAMPLES)
    assert len(examples) > 1500
    documents = load_corpus(CORPUS).documents
    settings = Settings()
    chunks = [
        c for d in documents for c in chunk_document(d, settings.chunk_size, settings.chunk_overlap)
    ]
    targets = example_targets(examples, chunks)
    assert all(t is not None for t in targets)
    # every passage has questions that lead to it
    assert len({t for t in targets}) == len(chunks)
    asked = {
        json.loads(line)["question"].strip().lower()
        for path in (Path(__file__).parent / "eval").glob("*.jsonl")
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    }
    assert not asked & {e.question.strip().lower() for e in examples}


@pytest.mark.e2e
def test_the_assistant_learns_the_adapter_once_keeps_it_and_ranks_with_it(
    assistant, real_settings: Settings
):
    from ldn_assistant import Assistant

    retriever = assistant.retriever
    assert retriever.adapter is not None and retriever.adapter.shape == (384, 384)
    cache = real_settings.index_dir / "query-adapter.npz"
    assert cache.is_file()
    # A second assistant on the same index reads it instead of training again.
    again = Assistant(real_settings, embeddings=assistant._embeddings, prepare_sentences=False)
    stamp = cache.stat().st_mtime_ns
    kept = again.retriever.adapter
    assert kept is not None and np.array_equal(kept, retriever.adapter)
    assert cache.stat().st_mtime_ns == stamp
    # Turned off, the model's own vectors rank.
    off = Assistant(
        real_settings.model_copy(update={"query_adapter": False}),
        embeddings=assistant._embeddings,
        prepare_sentences=False,
    )
    assert off.retriever.adapter is None
    # Questions in words of their own, written for this test (in neither the examples nor
    # the evaluation sets), with a phrase of the passage that answers each.
    asked = [
        ("Do most folks cope fine with taking it day to day?", "well tolerated"),
        ("Can it trigger that dangerous too-much-serotonin reaction?", "Serotonin Syndrome is"),
        ("Which non-opioid target on immune cells does it hit?", "Toll-like receptor 4"),
        ("Nightmares or trouble dropping off - is that a thing with it?", "vivid dreams"),
        ("How many milligrams a day do people usually end up on?", "4.5 m"),
        ("Why should it speed up a sluggish gut in theory?", "should be a prokinetic agent"),
        ("What's the body's own morphine got to do with it?", "endogenous morphine"),
        ("Is it OK for mums-to-be or nursing mothers?", "pregnant or breastfeeding"),
        ("How quickly should we see it doing something?", "weeks or months"),
        ("Is it just a sugar pill effect?", "placebo"),
        ("What's wrong with the full-strength version used for addiction?", "regular dose"),
    ]
    shipped = {e.question.lower() for e in load_examples(EXAMPLES)}
    assert not shipped & {q.lower() for q, _ in asked}

    def ranks(a: Assistant) -> list[int | None]:
        return [
            first_relevant_rank([rc.chunk.text for rc in a.search(q, None, 10)[2]], [phrase])
            for q, phrase in asked
        ]

    adapted, own = ranks(assistant), ranks(off)
    assert adapted.count(1) >= 9
    assert sum(1 / r for r in adapted if r) > sum(1 / r for r in own if r)
    # "weeks or months": tenth with the model's own vectors, first with the adapter
    assert own[8] == 10 and adapted[8] == 1


def test_the_adapter_is_learnt_for_a_corpus_kept_and_learnt_again_when_damaged(
    fake_settings: Settings,
):
    from ldn_assistant import Assistant

    (fake_settings.corpus_dir / "retrieval_examples.jsonl").write_bytes(
        "\n".join(
            [
                json.dumps(
                    {"question": "How much per day?", "doc": "alpha", "quote": "1 to 3 units"}
                ),
                json.dumps({"question": "Odd dreams?", "doc": "alpha", "quote": "vivid dreams"}),
                json.dumps({"question": "Radio?", "doc": "beta", "quote": "radio waves"}),
            ]
        ).encode()
        + b"\n\xff\xfe\x00binary junk\n"
    )
    first = Assistant(fake_settings, prepare_sentences=False).retriever.adapter
    assert first is not None and first.shape == (32, 32)
    cache = fake_settings.index_dir / "query-adapter.npz"
    assert cache.is_file()
    for damage in (b"PK\x03\x04 not a zip", b"junk", b""):
        cache.write_bytes(damage)
        again = Assistant(fake_settings, prepare_sentences=False).retriever.adapter
        assert again is not None and np.allclose(again, first)
        assert cache.stat().st_size > 1000  # written anew
    # Turned off, or without examples, there is none.
    off = fake_settings.model_copy(update={"query_adapter": False})
    assert Assistant(off, prepare_sentences=False).retriever.adapter is None
    (fake_settings.corpus_dir / "retrieval_examples.jsonl").unlink()
    assert Assistant(fake_settings, prepare_sentences=False).retriever.adapter is None
