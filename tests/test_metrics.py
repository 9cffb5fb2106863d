"""Metric functions against values computed by hand."""

import pytest

from ldn_assistant.evaluation import metrics as m
from ldn_assistant.models import Answer, Citation
from ldn_assistant.texts import DISCLAIMER


def _cit(n: int, text: str) -> Citation:
    return Citation(
        n=n, doc_id="d", title="T", section="", text=text, start=0, end=len(text), score=0.5
    )


def test_relevance_is_case_quote_and_space_insensitive():
    assert m.is_relevant("It’s  taken at\nbedtime.", ["it's taken at bedtime"])
    assert not m.is_relevant("taken in the morning", ["taken at bedtime"])
    assert not m.is_relevant("anything", [""])


def test_ranks_hits_and_reciprocal_rank():
    passages = ["nothing", "also nothing", "the answer is here", "the answer again"]
    rank = m.first_relevant_rank(passages, ["answer is"])
    assert rank == 3
    assert (m.hit_at(rank, 1), m.hit_at(rank, 3), m.hit_at(rank, 5)) == (0.0, 1.0, 1.0)
    assert m.reciprocal_rank(rank) == pytest.approx(1 / 3)
    # no relevant passage: rank None, every hit 0, RR 0
    assert m.first_relevant_rank(passages, ["absent"]) is None
    assert (m.hit_at(None, 10), m.reciprocal_rank(None)) == (0.0, 0.0)
    # beyond the cutoff
    assert m.reciprocal_rank(11, cutoff=10) == 0.0
    # ties: two relevant passages, the first one counts
    assert m.first_relevant_rank(["a x", "a x"], ["x"]) == 1


def test_mean_mrr_over_questions_by_hand():
    ranks = [1, 2, None, 4]  # (1 + 0.5 + 0 + 0.25) / 4 = 0.4375
    assert m.mean([m.reciprocal_rank(r) for r in ranks]) == pytest.approx(0.4375)
    assert m.mean([m.hit_at(r, 3) for r in ranks]) == pytest.approx(0.5)
    assert m.mean([]) is None


def test_fact_recall():
    text = "Doses range from 1.5 to 4.5 mg, taken at bedtime."
    assert m.fact_recall(text, [r"4\.5", "bedtime|night", "morning"]) == pytest.approx(2 / 3)
    assert m.fact_recall(text, []) is None


def test_cited_pairs_and_validity():
    text = "First sentence. [1] Second one [2]\n- Bullet claim. [1] [2]"
    assert m.cited_pairs(text) == [
        ("First sentence.", 1),
        ("Second one", 2),
        ("Bullet claim.", 1),
        ("Bullet claim.", 2),
    ]
    good = Answer(
        question="q",
        text="A b c. [1] D e f. [2]",
        citations=[_cit(1, "x A b c. y"), _cit(2, "D e f.")],
    )
    assert m.citation_valid(good)
    assert m.citation_support(good) == 1.0
    gap = Answer(
        question="q", text="A b c. [1] D e f. [3]", citations=[_cit(1, "A b c."), _cit(3, "D e f.")]
    )
    assert not m.citation_valid(gap)
    dangling = Answer(question="q", text="A b c. [1] D e f. [2]", citations=[_cit(1, "A b c.")])
    assert not m.citation_valid(dangling)
    assert m.citation_support(dangling) == 0.5  # marker 2 has no passage
    uncited = Answer(question="q", text="A b c. [1]", citations=[_cit(1, "A b c."), _cit(2, "z")])
    assert not m.citation_valid(uncited)
    wrong = Answer(question="q", text="Not in it. [1]", citations=[_cit(1, "other text")])
    assert m.citation_support(wrong) == 0.0
    assert m.citation_support(Answer(question="q", text="no markers")) is None


def test_outcome_and_disclaimer():
    assert m.outcome(Answer(question="q", text="t")) == "answer"
    assert m.outcome(Answer(question="q", text="t", refused=True)) == "refuse"
    assert m.outcome(Answer(question="q", text="t", safety="emergency")) == "emergency"
    tampered = Answer(question="q", text="t", disclaimer="nothing to see")
    assert tampered.disclaimer == DISCLAIMER
    assert m.disclaimer_present(tampered)


def test_percentiles_by_hand():
    values = [10.0, 20.0, 30.0, 40.0]
    assert m.percentile(values, 50) == 25.0  # halfway between 20 and 30
    assert m.percentile(values, 95) == pytest.approx(38.5)  # 30 + 0.85 * 10
    assert m.percentile([], 50) is None


def test_bootstrap_interval():
    assert m.bootstrap_ci([1.0, 0.0]) is None  # too few values
    lo, hi = m.bootstrap_ci([1.0] * 10) or (None, None)
    assert (lo, hi) == (1.0, 1.0)
    lo, hi = m.bootstrap_ci([0.0, 1.0] * 10) or (0.0, 0.0)
    assert 0.2 < lo < 0.5 < hi < 0.8
