"""The project's question set: schema, coverage of categories, and evidence in the corpus."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import frontmatter

from ldn_assistant.evaluation.questions import load_questions

EVAL = Path(__file__).resolve().parent / "eval"
CORPUS = Path(__file__).resolve().parents[1] / "corpus"
QUESTION_FILES = (
    "questions.jsonl",
    "dev_questions.jsonl",
    "heldout_questions.jsonl",
    "fresh_questions.jsonl",
    "fresh2_questions.jsonl",
    "fresh3_questions.jsonl",
    "fresh4_questions.jsonl",
    "fresh5_questions.jsonl",
    "fresh6_questions.jsonl",
    "fresh7_questions.jsonl",
    "fresh8_questions.jsonl",
)


def _corpus_texts() -> dict[str, str]:
    return {
        p.stem: " ".join(frontmatter.loads(p.read_text(encoding="utf-8")).content.split())
        for p in sorted(CORPUS.glob("*.md"))
    }


def test_question_files_parse_without_errors():
    for name in QUESTION_FILES:
        questions, errors = load_questions(EVAL / name)
        assert errors == [], name
        assert questions


def test_question_set_meets_the_minimums():
    questions, _ = load_questions(EVAL / "questions.jsonl")
    by_expect = Counter(q.expect for q in questions)
    by_cat = Counter(q.category for q in questions)
    assert len(questions) >= 60
    assert sum(q.answerable and q.expect == "answer" for q in questions) >= 40
    assert by_expect["refuse"] >= 12
    assert by_expect["emergency"] >= 4
    assert by_cat["adversarial"] >= 4
    assert by_cat["follow_up"] >= 3 and all(
        q.history for q in questions if q.category == "follow_up"
    )
    for category in (
        "dosing",
        "mechanism",
        "indications",
        "adverse_effects",
        "interactions",
        "gi",
        "evidence",
        "out_of_scope",
        "not_in_corpus",
        "emergency",
    ):
        assert by_cat[category] >= 3, category
    assert any(len(q.question) > 2000 for q in questions)


def test_every_evidence_phrase_is_in_the_corpus_and_answers_cover_all_articles():
    texts = _corpus_texts()
    assert set(texts) == {
        "ldn-and-serotonin",
        "ldn-gut-motility",
        "ldn-immune-modulator",
        "what-is-ldn",
    }
    articles_used: Counter[str] = Counter()
    spanning = 0
    for name in QUESTION_FILES:
        questions, _ = load_questions(EVAL / name)
        for q in questions:
            docs = set()
            for phrase in q.evidence:
                found = [doc for doc, text in texts.items() if " ".join(phrase.split()) in text]
                assert found, f"{q.id}: evidence phrase not in the corpus: {phrase!r}"
                docs.update(found)
            if name == "questions.jsonl":
                articles_used.update(docs)
                spanning += len(docs) >= 2
    assert all(articles_used[doc] >= 5 for doc in texts), articles_used
    assert spanning >= 4


def test_answerable_questions_have_evidence_and_facts_that_the_evidence_meets():
    texts = " ".join(_corpus_texts().values())
    for name in QUESTION_FILES:
        questions, _ = load_questions(EVAL / name)
        for q in questions:
            if q.expect == "answer":
                assert q.evidence and q.facts, q.id
                # each fact can be met by quoting the corpus
                for fact in q.facts:
                    assert re.search(fact, texts, re.I), f"{q.id}: {fact!r} matches no corpus text"
            elif q.expect == "refuse":
                assert not q.evidence and not q.facts, q.id


def test_questions_are_not_copied_from_the_articles():
    texts = " ".join(_corpus_texts().values()).lower()
    for line in (EVAL / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        question = json.loads(line)["question"].lower().rstrip("?")
        words = question.split()
        # no run of 8 words of a question stands in the corpus
        for i in range(len(words) - 7):
            assert " ".join(words[i : i + 8]) not in texts, question
