"""Candidate sentences and rendering of extractive answers (no model needed)."""

from __future__ import annotations

import numpy as np
import pytest

from ldn_assistant.compose import (
    DEFINITION,
    Candidate,
    Composition,
    _focus,
    _make_room,
    _render,
    _sides,
    answer_type,
    candidate_sentences,
    compose_extractive,
)
from ldn_assistant.evaluation.metrics import cited_pairs, normalize
from ldn_assistant.lexicon import stem
from ldn_assistant.models import Chunk, RetrievedChunk
from ldn_assistant.settings import Settings

LISTED = """Here are some of the uses where the alpha remedy has been considered:

- Joint Conditions: The alpha remedy has been investigated for joint conditions such as:
  - Knee Arthritis (KA)
  - Hip Bursitis
  - Frozen Shoulder

Its action on the joints is thought to be gentle and slow.

- Practical steps to follow with it:
  - Take the dose with water every evening before bed.
  - Keep a diary of every symptom you notice during the first weeks.
"""


def _retrieved(text: str) -> list[RetrievedChunk]:
    chunk = Chunk(
        id="a:0", doc_id="alpha", title="Alpha", section="Uses", text=text, start=0, end=len(text)
    )
    return [RetrievedChunk(chunk=chunk, score=1.0, similarity=0.9)]


def _unit_and_next() -> tuple[list[RetrievedChunk], Candidate, Candidate]:
    retrieved = _retrieved(LISTED)
    cands = candidate_sentences(retrieved)
    unit = next(c for c in cands if c.items)
    after = next(c for c in cands if c.text.startswith("Its action"))
    return retrieved, unit, after


def test_a_lead_in_and_its_short_items_are_one_candidate():
    cands = candidate_sentences(_retrieved(LISTED))
    units = [c for c in cands if c.items]
    assert len(units) == 1
    unit = units[0]
    assert unit.text.endswith("joint conditions such as:")
    assert unit.items == ("Knee Arthritis (KA)", "Hip Bursitis", "Frozen Shoulder")
    assert unit.full.endswith("such as: Knee Arthritis (KA); Hip Bursitis; Frozen Shoulder")
    assert LISTED[unit.start : unit.end].endswith("Frozen Shoulder")
    # The items are not answers on their own; the sentence after the list is.
    texts = [c.text for c in cands]
    assert "Knee Arthritis (KA)" not in texts and "Frozen Shoulder" not in texts
    assert "Its action on the joints is thought to be gentle and slow." in texts


def test_items_that_are_sentences_stay_sentences():
    cands = candidate_sentences(_retrieved(LISTED))
    texts = [c.text for c in cands]
    assert "Take the dose with water every evening before bed." in texts
    assert not any(c.text.startswith("Practical steps") for c in cands)


def test_a_list_renders_verbatim_with_a_marker_on_every_item():
    retrieved, unit, after = _unit_and_next()
    text, citations = _render([unit, after], retrieved, differ=False)
    assert text == (
        "Joint Conditions: The alpha remedy has been investigated for joint conditions such "
        "as: [1]\n\n- Knee Arthritis (KA) [1]\n- Hip Bursitis [1]\n- Frozen Shoulder [1]\n\n"
        "Its action on the joints is thought to be gentle and slow. [1]"
    )
    pairs = cited_pairs(text)
    assert [s for s, _ in pairs][1:4] == ["Knee Arthritis (KA)", "Hip Bursitis", "Frozen Shoulder"]
    assert all(normalize(s) in normalize(citations[0].text) for s, _ in pairs)
    assert set(citations[0].sentences) >= {"Hip Bursitis", unit.text}


def test_a_list_on_one_side_of_a_disagreement_is_nested():
    retrieved, unit, after = _unit_and_next()
    text, _ = _render([after, unit], retrieved, differ=True)
    assert text.startswith("**Sources differ")
    assert "\n- Joint Conditions" in text and "\n  - Hip Bursitis [1]" in text


def test_making_room_keeps_the_sentence_a_continuation_follows():
    def cand(text: str, start: int, score: float) -> Candidate:
        return Candidate(text, 0, start, start + len(text), "alpha", score=score)

    first = cand("Low scoring sentence that is continued.", 0, 0.3)
    others = [cand("Other sentence number one here.", 100, 0.9), cand("Another one.", 200, 0.5)]
    pick = cand("The continuation sentence.", first.end + 1, 0.3)
    kept = _make_room([*others, first], pick, 3)
    assert kept == [others[0], first, pick]


@pytest.mark.parametrize(
    ("sentence", "defines"),
    [
        ("Low Dose Naltrexone (LDN) is a medication that utilizes an established drug.", True),
        ("Opioid Receptor Blockade: LDN is an opioid receptor antagonist, which means it.", True),
        # A misconception as a heading, corrected after the dash: not what LDN is.
        ("LDN Is a Cure-All–  LDN may be effective for some individuals.", False),
        ("It is essential to consult a provider to determine whether LDN is an option.", False),
        ("While Low Dose Naltrexone (LDN) is still technically an opiate antagonist.", False),
    ],
)
def test_what_is_x_prefers_sentences_saying_what_x_is(sentence: str, defines: bool):
    wanted = answer_type("What is LDN?")
    assert wanted is not None and wanted.name == DEFINITION and not wanted.required
    assert bool(wanted.answer.search(sentence)) is defines


def test_only_short_what_is_questions_ask_for_a_definition():
    assert answer_type("What are PAMORAs?") is not None
    assert answer_type("What is the most frequent adverse effect of LDN?") is None
    assert answer_type("What is LDN used for in lupus?") is None
    assert answer_type("What is it?") is None  # about something said before


def test_a_short_lead_in_leaves_its_items_as_sentences():
    text = (
        "Common effects:\n- Vivid dreams during the first two weeks\n"
        "- Trouble falling asleep in the first week\n"
    )
    texts = [c.text for c in candidate_sentences(_retrieved(text))]
    assert texts == [
        "Vivid dreams during the first two weeks",
        "Trouble falling asleep in the first week",
    ]


@pytest.mark.parametrize(
    ("sentence", "side"),
    [
        ("Constipation got worse after starting it.", 1),
        ("In some patients constipation worsened on it.", 1),
        ("Constipation was caused by it in a few.", 1),
        ("Some patients develop constipation on it.", 1),
        ("It improved constipation in most.", 0),
        # "developed" after the topic is not a side: "X was developed as ...".
        ("Constipation drugs were developed as antagonists.", None),
    ],
)
def test_sides_of_a_disagreement(sentence: str, side: int | None):
    assert _sides(sentence, {stem("constipation")})[1] == side


def test_how_does_it_work_asks_for_a_mechanism():
    wanted = answer_type("How does LDN work?")
    assert wanted is not None and wanted.name == "a mechanism" and not wanted.required
    assert wanted.answer.search("it has the ability to block the activity of certain receptors")
    assert not wanted.answer.search("LDN may take time to show its full effects.")
    assert answer_type("How long does LDN take to work?").name == "a duration"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "question",
    ["How many weeks until LDN helps?", "how many months should she stay on it?"],
)
def test_how_many_units_of_time_asks_for_a_duration(question: str):
    # Not "an amount": any number ("50 mg") would do for that.
    wanted = answer_type(question)
    assert wanted is not None and wanted.name == "a duration" and wanted.required
    # How long ahead of an act is a lead time, not any duration; time until LDN works is not.
    lead = answer_type("How many days before surgery should LDN be held?")
    assert lead is not None and lead.name == "a lead time" and lead.required
    assert lead.answer.search("stop it 72 hours before surgery")
    assert not lead.answer.search("it blocks opioid receptors for 4-6 hours")
    assert answer_type("How long before LDN starts working?").name == "a duration"  # type: ignore[union-attr]
    # A rate is not a span of time.
    assert wanted.answer.search("assessed over weeks or months")
    assert not wanted.answer.search("1.5 mg to 4.5 mg per day")
    assert not wanted.answer.search("taken once a day, every night")


def test_a_half_life_in_hours_needs_a_sentence_giving_one():
    for question in ("How many hours is the half-life of LDN?", "LDN half life in hours?"):
        wanted = answer_type(question)
        assert wanted is not None and wanted.name == "a half-life" and wanted.required, question
        # receptor blockade for some hours is not a half-life; "short" gives no number
        assert not wanted.answer.search("it blocks opioid receptors for 4-6 hours")
        assert not wanted.answer.search("due to the drug's short half-life")
        assert wanted.answer.search("<drug X> has a half-life of 12 hours")  # a form, no claim
    # A half-life asked about without units is not this type: "short" may answer it.
    assert answer_type("Does LDN have a short half-life?") is None


def test_brand_and_maker_questions_need_a_name():
    for question in (
        "Is LDN sold under a trade name?",
        "What brand names does low dose naltrexone come in?",
        "Which companies make it?",
        "who manufactures LDN?",
    ):
        wanted = answer_type(question)
        assert wanted is not None and wanted.name == "a name" and wanted.required, question
    assert wanted is not None
    assert wanted.answer.search("<drug X> is sold as <brand>®")  # a form, no claim
    assert not wanted.answer.search("LDN may take time to show its full effects.")
    assert answer_type("Which conditions has LDN been tried in?") is None


def test_what_to_do_asks_for_an_action():
    for question in (
        "pts gotten constipated on LDN - what would u do?",
        "Is there a workaround for the insomnia?",
        "Any tips besides stopping?",
    ):
        wanted = answer_type(question)
        assert wanted is not None and wanted.name == "an action", question
        assert not wanted.required
    wanted = answer_type("what would you do?")
    assert wanted is not None
    assert wanted.answer.search("Maybe I add magnesium.")
    assert not wanted.answer.search("The LDN may be a red herring.")


def test_the_focus_of_a_typed_question_does_not_depend_on_set_order():
    # Equally rare words: the same three every time (a set's order changes between
    # processes, and with it which sentence was accepted as "a duration" of the focus).
    wanted = answer_type("how many months of naltrexone for alcohol dependence?")
    assert wanted is not None
    terms = {"naltrexon", "alcohol", "depend", "treatment", "continu"}
    for order in (sorted(terms), sorted(terms, reverse=True)):
        focus = _focus(wanted, set(order), lambda t: 5.0 if t.startswith("\x00") else 2.0)
        assert focus == {"alcohol", "continu", "depend"}


# ---- example votes and the passage bonus (compose_extractive with a hand-made encoder) ----
TOLERATED = "Alpha is usually well tolerated by most patients."
WHITE = "Alpha tablets are white and round in shape."
BETA = "Beta trials ran for one whole year in total."


def _two_passages() -> list[RetrievedChunk]:
    first = f"{TOLERATED} {WHITE}"
    a = Chunk(id="a:0", doc_id="alpha", title="Alpha", section="", text=first, start=0, end=99)
    b = Chunk(id="b:0", doc_id="beta", title="Beta", section="", text=BETA, start=0, end=99)
    return [
        RetrievedChunk(chunk=a, score=1.0, similarity=0.6),
        RetrievedChunk(chunk=b, score=0.4, similarity=0.5),
    ]


def _axis_encoder(texts: list[str]) -> np.ndarray:
    """Each of the three sentences on its own axis (in context or not), anything else on a
    fourth: a question vector then sets each sentence's cosine directly."""
    keys = ["well tolerated", "white", "Beta trials"]
    out = np.zeros((len(texts), 4), dtype=np.float32)
    for i, t in enumerate(texts):
        out[i, next((k for k, key in enumerate(keys) if key in t), 3)] = 1.0
    return out


def _compose(question_vector: list[float], **settings: float) -> Composition:
    settings = {"passage_score_weight": 0.0, "example_vote_weight": 0.0, **settings}
    return compose_extractive(
        "How do people put up with it?",  # no word in common with the sentences
        np.asarray(question_vector, dtype=np.float32),
        _two_passages(),
        _axis_encoder,
        lambda term: 1.0,
        Settings().model_copy(update=settings),
    )


def test_an_example_vote_lets_a_sentence_the_model_misses_answer():
    # Own scores (0.7 x cosine): tolerated 0.14, below the 0.25 floor; white 0.35; beta 0.315.
    vector = [0.2, 0.5, 0.45, 0.0]
    plain = _compose(vector)
    assert TOLERATED not in plain.text and WHITE in plain.text and BETA in plain.text
    # An example question close to this one (0.9) quotes the sentence: 0.14 + 0.2 x 0.9.
    voted = compose_extractive(
        "How do people put up with it?",
        np.asarray(vector, dtype=np.float32),
        _two_passages(),
        _axis_encoder,
        lambda term: 1.0,
        Settings(example_vote_weight=0.2, passage_score_weight=0.0),
        votes=[(normalize("usually well tolerated"), 0.9)],
    )
    assert TOLERATED in voted.text
    # What decides whether anything answers is the sentences' own match, not the vote.
    assert voted.best_score == pytest.approx(plain.best_score)


def test_a_vote_does_not_make_an_unanswered_question_answered():
    # Every sentence's own score is under the floor (at most 0.7 x 0.3 = 0.21).
    composition = compose_extractive(
        "How do people put up with it?",
        np.asarray([0.2, 0.3, 0.3, 0.0], dtype=np.float32),
        _two_passages(),
        _axis_encoder,
        lambda term: 1.0,
        Settings(example_vote_weight=0.2, passage_score_weight=0.0),
        votes=[(normalize("usually well tolerated"), 0.95)],
    )
    assert composition.text == "" and composition.best_score < 0.25


def test_the_passage_bonus_orders_sentences_but_makes_none_close_enough():
    vector = [0.2, 0.5, 0.45, 0.0]
    small = _compose(vector, passage_score_weight=0.1)
    assert TOLERATED not in small.text and WHITE in small.text and BETA in small.text
    # With a large bonus the first passage's weak sentence scores second of all (0.14 + 1),
    # yet stays out: its own match is under the floor. The second passage's sentence now
    # falls under the share of the best that further sentences need (0.65 x 1.35).
    large = _compose(vector, passage_score_weight=1.0)
    assert TOLERATED not in large.text and WHITE in large.text and BETA not in large.text
