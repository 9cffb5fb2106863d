"""Extractive answers: verbatim corpus sentences, each followed by its citation marker.

Nothing here writes a sentence of its own: the answer is chosen sentences of retrieved
passages plus fixed labels from `texts`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ldn_assistant.evaluation.metrics import normalize
from ldn_assistant.lexicon import (
    DURATION_UNITS,
    content_words,
    document_frequencies,
    is_descriptive,
    stem,
)
from ldn_assistant.models import Chunk, Citation, RetrievedChunk
from ldn_assistant.sentences import Block, split_blocks, split_sentences
from ldn_assistant.settings import Settings
from ldn_assistant.texts import SOURCES_DIFFER

# Weight of meaning (cosine) against shared words (idf-weighted overlap) in a sentence score.
SEMANTIC_WEIGHT = 0.7
# Bonus that makes a sentence from a not-yet-cited article win a near tie (coverage).
NEW_SOURCE_BONUS = 0.03
MIN_SENTENCE_WORDS = 5
# A lead-in ending in ":" and the short list items under it ("... autoimmune conditions such
# as:" + "Multiple Sclerosis (MS)", ...) are one candidate: neither answers alone.
MAX_ITEM_WORDS = 8
PREFER_BONUS = 0.1
SECTION_DISCOUNT = 0.05
# A sentence of the required kind joins the answer only when it scores at least this share of
# the cutoff; otherwise the kind is missing and the corpus is taken not to answer.
TYPED_FLOOR = 0.8


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Opposing words: two relevant passages on the same topic, one on each side, "differ".
# Plain English antonyms, not medical claims. The third item: words that count only before
# the topic word, as a verb before its object ("develop constipation"); otherwise
# "Naltrexone (at 50 mg) was developed as ..." or "patients have developed ..." would count.
CONTRASTS: list[tuple[frozenset[str], frozenset[str], frozenset[str]]] = [
    (_words("night nighttime bedtime evening"), _words("morning"), frozenset()),
    (
        _words(
            "improved improve improves relief relieve relieves help helps treat treats "
            "treated treating prokinetic"
        ),
        _words(
            "develop develops developed developing cause causes causing caused worse worsen "
            "worsens worsened worsening paradoxical"
        ),
        _words("develop develops developed developing cause causes causing"),
    ),
]


@dataclass(frozen=True)
class AnswerType:
    """What kind of sentence a question asks for, recognised from its wording."""

    name: str
    question: re.Pattern[str]
    answer: re.Pattern[str]
    required: bool  # without such a sentence the corpus does not answer the question


# A span of time, not a rate ("per day", "a week", "every night" say how often).
_DURATION_UNITS = rf"(?<!\bper )(?<!\ba )(?<!\beach )(?<!\bevery )\b{DURATION_UNITS}\b"

# "How many days before surgery / before starting LDN ...?": how long ahead of an act.
_AHEAD = r"\b(?:before|prior to|ahead of)\s+"
_ACT = (
    r"(?:starting|stopping|beginning|taking|switching|restarting|initiating|discontinuing"
    r"|adding|giving|prescribing|surgery|an? (?:operation|procedure|surgery|scan)"
    r"|the (?:operation|procedure|surgery)|an?[ae]?esthe\w*|opioids?)\b"
)
_HOW_LONG = rf"\bhow (?:long|soon|early|far ahead|much time|many {DURATION_UNITS})\b"

# A half-life asked in units of time: "4-6 hours" of receptor blockade is not one.
_HALF_LIFE = r"\bhalf[- ]?li(?:fe|ves)\b"
_IN_TIME = rf"\b(?:in {DURATION_UNITS}|how long|how many {DURATION_UNITS})\b"

ANSWER_TYPES = [
    AnswerType(
        "a half-life",
        re.compile(rf"{_HALF_LIFE}[^?]*{_IN_TIME}|{_IN_TIME}[^?]*{_HALF_LIFE}", re.I),
        # a sentence giving a half-life with a number
        re.compile(rf"{_HALF_LIFE}[^.]{{0,60}}\d|\d[^.]{{0,60}}{_HALF_LIFE}", re.I),
        required=True,
    ),
    AnswerType(
        "a name",
        # brand or trade names, makers, sellers: names the answer must give
        re.compile(
            r"\b(?:brand|trade|proprietary)[- ]?names?\b|\b(?:sold|marketed|branded) (?:as|under)\b"
            r"|\bwhat (?:is|are) (?:it|ldn|they) (?:called|sold as)\b"
            r"|\bwhich (?:companies|company|manufacturers?|brands?|firms?)\b"
            r"|\bwho (?:makes|manufactures|sells|markets)\b",
            re.I,
        ),
        re.compile(r"[®™]|\b(?:brand|trade name|marketed|sold (?:as|under)|manufactur\w*)\b", re.I),
        required=True,
    ),
    AnswerType(
        "a lead time",
        re.compile(
            rf"{_HOW_LONG}[^?]{{0,80}}?{_AHEAD}{_ACT}|{_AHEAD}{_ACT}[^?]{{0,80}}?{_HOW_LONG}", re.I
        ),
        # a span of time said to be ahead of something ("stop it 72 hours before surgery")
        re.compile(rf"{_DURATION_UNITS}.*\b(?:before|prior to|ahead of)\b", re.I),
        required=True,
    ),
    AnswerType(
        "a duration",
        re.compile(
            r"\bhow (?:long|soon|quickly|fast)\b|\bin (?:hours|minutes|days|weeks|months|years)\b"
            rf"|\bhow many {DURATION_UNITS}\b",
            re.I,
        ),
        re.compile(_DURATION_UNITS, re.I),
        required=True,
    ),
    AnswerType(
        "a frequency",
        re.compile(r"\bhow (?:often|frequently)\b|\bhow many times\b", re.I),
        re.compile(r"\b(?:daily|nightly|weekly|twice|once|times|every|per (?:day|week))\b", re.I),
        required=True,
    ),
    AnswerType(
        "a price",
        re.compile(r"\b(?:price|cost|costs|expensive|cheap|afford\w*|insurance)\b", re.I),
        re.compile(r"[$€£]|\b(?:dollars?|euros?|pounds sterling|price|costs?)\b", re.I),
        required=True,
    ),
    AnswerType(
        "an amount",
        re.compile(
            r"\bhow (?:many|much)\b|\bwhat (?:percentage|percent|proportion|share|fraction"
            r"|number)\b",
            re.I,
        ),
        re.compile(
            r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few"
            r"|several|most|majority|half|none)\b",
            re.I,
        ),
        required=True,
    ),
    AnswerType(
        "an action",
        re.compile(
            r"\bwhat (?:would|should|can|could|do|does|did) (?:you|u|i|we|one|they|the author)"
            r" (?:do|try|suggest|recommend)\b|\bwhat to do\b|\bwork-?arounds?\b"
            r"|\bhow (?:do|can|could|should|would) (?:you|u|i|we|they) (?:fix|manage|handle|deal"
            r"|treat|get round|get around|avoid|reduce|minimi[sz]e)\b|\b(?:practical )?steps\b"
            r"|\btips\b|\bwhat can be done\b",
            re.I,
        ),
        re.compile(
            r"\b(?:maybe|try|trying|consider|lower\w*|reduc\w*|adjust\w*|add|adding|switch\w*"
            r"|mov(?:e|ing)|start(?:ing)? low|titrat\w*|taper\w*|stop\w*|look for|rule out"
            r"|check|monitor\w*|tak(?:e|en|ing) (?:it )?in the morning)\b",
            re.I,
        ),
        required=False,
    ),
    AnswerType(
        "a mechanism",
        re.compile(
            r"\bhow (?:does|do|did|can|could|might|would|is|are)\b.{0,50}"
            r"\b(?:work|works|working|act|acts)\b|\bmechanism\b",
            re.I,
        ),
        re.compile(
            r"\b(?:block\w*|bind\w*|binds|receptors?|inhibit\w*|activat\w*|stimulat\w*"
            r"|trigger\w*|modulat\w*|upregulat\w*|releas\w*|compensat\w*|increas\w*"
            r"|decreas\w*|suppress\w*)\b",
            re.I,
        ),
        required=False,
    ),
    AnswerType(
        "a time",
        re.compile(r"^\W*(?:and\s+|so\s+)?(?:when|at what time|what time)\b", re.I),
        re.compile(
            r"\b(?:bedtime|night|nighttime|morning|evening|daytime|daily|before|after|hours?)\b",
            re.I,
        ),
        required=False,
    ),
]


DEFINITION = "a definition"
# "What is it?" asks about something said before, not about a term.
_PRONOUNS = _words("it this that they these those he she them him her")
# "What is LDN?", "What are endorphins?": a short subject and nothing else.
_DEFINITION_QUESTION = re.compile(
    r"^\W*(?:what|who)\s+(?:is|are)\s+(?:an?\s+|the\s+)?(?P<x>[\w’'-]+(?:\s+[\w’'-]+){0,2})"
    r"\s*\?*\s*$",
    re.I,
)


def answer_type(question: str) -> AnswerType | None:
    fixed = next((t for t in ANSWER_TYPES if t.question.search(question)), None)
    return fixed or _definition(question)


def _definition(question: str) -> AnswerType | None:
    """For "What is X?": sentences that say what X is ("Low Dose Naltrexone (LDN) is a
    medication ...") are preferred. The subject must open the sentence (after a list label)
    and be followed by a lower-case "is a/an/the", so that a heading such as "LDN Is a
    Cure-All–" (a misconception the article then corrects) does not count."""
    m = _DEFINITION_QUESTION.match(question)
    if not m or m.group("x").lower() in _PRONOUNS:
        return None
    subject = re.escape(m.group("x"))
    answer = re.compile(
        r"^(?:[^:.–]{0,60}:\s*)?(?:\S+\s+){0,4}\(?(?i:" + subject + r")\)?"
        r"(?:,[^,]{0,40},)?\s+(?:is|are)\s+(?:a|an|the)\b"
    )
    return AnswerType(DEFINITION, _DEFINITION_QUESTION, answer, required=False)


# A premise the question states as given ("Now that LDN comes as a depot injection, ...",
# "LDN must be taken with food, right?"). Quoting passages in answer would seem to confirm it.
_CAUSAL_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|does|do|did|can|could|will|would|must|should|may"
    r"|might|causes?|comes?|works?|blocks?|acts?|approved|licensed|shown|known|reported"
    r"|increases?|reduces?|raises?|lowers?|helps?|treats?)\b",
    re.I,
)
_PREMISE = [
    re.compile(
        r"^\W*(?:now that|given that|considering that|seeing that|given how)\s+"
        r"(?P<p>[^?]{8,}?),[\s.…]*\w",
        re.I,
    ),
    # "since" with a clause of its own; "Since starting LDN, ..." is about time.
    re.compile(r"^\W*since\s+(?P<p>[^?,]{8,}?),[\s.…]*\w", re.I),
    re.compile(
        r"^\W*(?P<p>[^?]{8,}?),?\s+(?:right|correct|true"
        r"|is(?:n'?t|n’t| not) (?:it|that (?:right|true))|does(?:n'?t|n’t| not) it)\s*\?",
        re.I,
    ),
]


def stated_premise(question: str) -> str | None:
    """The premise a question takes as given, or None."""
    for i, pattern in enumerate(_PREMISE):
        m = pattern.search(question)
        if m and (i != 1 or _CAUSAL_VERB.search(m.group("p"))):
            return m.group("p").strip()
    return None


SIDE_WINDOW = 6
# Words with a smoothed idf at or below this stand in most passages ("LDN"): not a topic.
TOPICAL_IDF = 1.0
_NEGATED = re.compile(r"\bnot\s+(?:at\s+|in\s+|the\s+)*\w+", re.I)


@dataclass
class Candidate:
    text: str
    passage: int  # index into the retrieved list
    start: int  # offset in the document
    end: int
    doc_id: str
    section: str = ""
    score: float = 0.0  # what orders the candidates: `own` and the bonuses below
    own: float = 0.0  # the sentence's own match to the question (what the floors are on)
    vector: np.ndarray[Any, Any] = field(default_factory=lambda: np.zeros(0))
    items: tuple[str, ...] = ()  # the list items under a lead-in (`text`) ending in ":"

    @property
    def full(self) -> str:
        """What the candidate says: the sentence, or a lead-in with its items."""
        return f"{self.text} {'; '.join(self.items)}" if self.items else self.text


@dataclass
class Composition:
    text: str = ""
    citations: list[Citation] = field(default_factory=list)
    best_score: float = 0.0
    sources_differ: bool = False
    chosen: list[Candidate] = field(default_factory=list)
    typed_ok: bool | None = None  # the kind of answer asked for is there (None: not asked)


def candidate_sentences(retrieved: list[RetrievedChunk]) -> list[Candidate]:
    """Answer-worthy sentences of the passages (no headings, lead-ins or questions), and
    lead-ins together with the short list items under them."""
    seen: set[tuple[str, int, bool]] = set()
    out: list[Candidate] = []
    for p, rc in enumerate(retrieved):
        chunk = rc.chunk
        blocks = split_blocks(chunk.text)
        listed: set[int] = set()  # items of a lead-in: not answers on their own
        for i, block in enumerate(blocks):
            if block.kind != "text" or i in listed:
                continue
            spans = split_sentences(chunk.text, block.start, block.end)
            for span in spans:
                text = chunk.text[span.start : span.end]
                key = (chunk.doc_id, chunk.start + span.start, False)
                if key in seen or _not_an_answer(text):
                    continue
                seen.add(key)
                out.append(
                    Candidate(
                        text,
                        p,
                        chunk.start + span.start,
                        chunk.start + span.end,
                        chunk.doc_id,
                        chunk.section,
                    )
                )
            items = _items_under(chunk.text, blocks, i)
            if not spans or not items:
                continue
            lead = spans[-1]
            if len(chunk.text[lead.start : lead.end].split()) < MIN_SENTENCE_WORDS:
                continue  # the items stay sentences of their own
            listed.update(range(i + 1, i + 1 + len(items)))
            key = (chunk.doc_id, chunk.start + lead.start, True)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                Candidate(
                    chunk.text[lead.start : lead.end],
                    p,
                    chunk.start + lead.start,
                    chunk.start + items[-1].end,
                    chunk.doc_id,
                    chunk.section,
                    items=tuple(chunk.text[b.start : b.end] for b in items),
                )
            )
    return out


def _items_under(text: str, blocks: list[Block], i: int) -> list[Block]:
    """The list items right under block i when it ends in ":" and they are all short
    (names, not sentences); otherwise none."""
    lead = blocks[i]
    if not text[lead.start : lead.end].endswith(":"):
        return []
    items = []
    for b in blocks[i + 1 :]:
        if b.kind != "text" or b.indent <= lead.indent:
            break
        items.append(b)
    short = all(
        len(text[b.start : b.end].split()) <= MAX_ITEM_WORDS
        and len(split_sentences(text, b.start, b.end)) == 1
        for b in items
    )
    return items if len(items) >= 2 and short else []


def candidate_sentences_of(chunks: list[Chunk]) -> list[Candidate]:
    """Answer-worthy sentences of whole chunks (to encode ahead of questions)."""
    return candidate_sentences([RetrievedChunk(chunk=c, score=0.0, similarity=0.0) for c in chunks])


def answer_texts(cands: list[Candidate]) -> list[str]:
    """What is encoded for candidates: each sentence alone, then each in its section."""
    return [c.full for c in cands] + [
        f"{c.section}. {c.full}" if c.section else c.full for c in cands
    ]


def _not_an_answer(sentence: str) -> bool:
    s = sentence.rstrip()
    return s.endswith((":", "?")) or len(s.split()) < MIN_SENTENCE_WORDS


def compose_extractive(
    question: str,
    query_vector: np.ndarray[Any, Any],
    retrieved: list[RetrievedChunk],
    encode: Callable[[list[str]], np.ndarray[Any, Any]],
    idf: Callable[[str], float],
    settings: Settings,
    center: np.ndarray[Any, Any] | None = None,
    wanted: AnswerType | None = None,
    following: Callable[[str, int], RetrievedChunk | None] | None = None,
    asked: str | None = None,
    votes: list[tuple[str, float]] | None = None,
) -> Composition:
    """Pick, order and cite the sentences that answer `question`.

    `wanted`: sentences of the kind the question asks for (a duration for "how long") get
    PREFER_BONUS; where that kind is required, one of them joins the answer if one is close
    enough (else the assistant refuses).

    `following(doc_id, offset)`: the passage holding the sentence that starts right after
    `offset`, for a required kind that the sentence after a chosen one gives but that opens a
    passage not retrieved; that passage is then cited as well.

    `asked`: the part of the question that asks, when it also tells about the patient ("how
    long till it works? pt frustrated after 10 days"); the required kind of answer must be
    about what it asks, not about what it tells.

    `votes`: the retrieval examples nearest the question, as (normalized quote, cosine): a
    sentence holding one's quote gains `example_vote_weight` times the closest one's cosine.
    Whether anything answers at all (`min_sentence_score`) is decided without them.

    `center` (the mean chunk vector) is subtracted before comparing meaning: every passage
    of this corpus is "about LDN", and without centering that shared topic makes a generic
    sentence look as relevant as the one that answers.
    """
    cands = candidate_sentences(retrieved)
    if not cands:
        return Composition()
    # A sentence is read in its section ("Hypothyroidism and LDN" says what a sentence about
    # T4 to T3 conversion is about): meaning and words of the heading count, at a discount.
    both = encode(answer_texts(cands))
    vectors, in_context = both[: len(cands)], both[len(cands) :]
    q = _centered(query_vector[None, :], center)[0]
    semantic = np.maximum(
        _centered(vectors, center) @ q,
        _centered(in_context, center) @ q - SECTION_DISCOUNT,
    )
    terms = {stem(w) for w in content_words(question)}
    weights = {t: idf(t) for t in terms}
    total = sum(weights.values()) or 1.0
    for c, vec, sem in zip(cands, vectors, semantic):
        stems = _stems_of(c.full)
        heading = {stem(w) for w in content_words(c.section)} - stems
        lexical = (
            sum(
                w if t in stems else w * (1 - SECTION_DISCOUNT * 4) if t in heading else 0.0
                for t, w in weights.items()
            )
            / total
        )
        c.vector = vec
        c.score = SEMANTIC_WEIGHT * float(sem) + (1 - SEMANTIC_WEIGHT) * lexical
        if wanted is not None and wanted.answer.search(c.full):
            c.score += PREFER_BONUS
        c.own = c.score
    unvoted = max(c.own for c in cands)
    if votes and settings.example_vote_weight > 0:
        # An example question close to this one quotes the sentence: evidence that it
        # answers, beside its own match (it can make a sentence close enough to quote, but
        # not make a question answerable: `unvoted`).
        for c in cands:
            said = normalize(c.full)
            vote = max((sim for quote, sim in votes if quote in said), default=0.0)
            c.own += settings.example_vote_weight * vote
            c.score = c.own
    if settings.passage_score_weight > 0:
        # Orders the sentences close enough to quote; makes none close enough.
        top = max(rc.score for rc in retrieved) or 1.0
        for c in cands:
            c.score += settings.passage_score_weight * retrieved[c.passage].score / top

    ranked = sorted(cands, key=lambda c: -c.score)
    best = ranked[0].score
    cutoff = max(settings.min_sentence_score, best * settings.relative_sentence_score)
    chosen = _select(ranked, cutoff, settings)
    if wanted is not None and wanted.name == DEFINITION:
        # "What is X?" is answered by what the sources say X is, when they say it.
        says = [c for c in ranked if wanted.answer.search(c.full)]
        chosen = _select(says, settings.min_sentence_score, settings) or chosen
    typed_ok: bool | None = None
    if wanted and wanted.required:
        # The kind of answer asked for must come with what the question is about: "a few
        # hours" of blockade does not answer a half-life in hours.
        # What is asked, or the whole question when what is asked names nothing ("Pt on
        # naltrexone for alcohol dependence. How long?").
        asked_terms = _focus_terms(asked or "", idf)
        if not any(_could_focus(wanted, t, idf) for t in asked_terms):
            asked_terms = _focus_terms(question, idf)
        focus = _focus(wanted, asked_terms, idf)
        typed_ok = any(_gives(c, chosen, wanted, focus) for c in chosen)
        if not typed_ok:
            typed = [c for c in ranked if c not in chosen]
            # The sentence right after a chosen one often completes it ("...may take time to
            # show its full effects. Patience is required, ... over weeks or months.").
            follows = [t for t in typed if any(_next_to(o, t) for o in chosen)]
            if following is not None:  # the next sentence may open a passage not retrieved
                retrieved, more = _continuations(chosen, cands, retrieved, following)
                follows += more
            pick = next((t for t in follows if _gives(t, [*chosen, t], wanted, focus)), None)
            if pick is None:
                pick = next((t for t in typed if _gives(t, [t], wanted, focus)), None)
                if pick is not None and pick.score < cutoff * TYPED_FLOOR:
                    pick = None
            if pick is not None and pick.own >= settings.min_sentence_score:
                chosen = _make_room(chosen, pick, settings.max_answer_sentences)
                typed_ok = True
    chosen = _reading_order(chosen)
    differ = _disagreement(ranked, chosen, terms, settings.min_sentence_score, idf)
    if differ:
        a, b = differ
        chosen = [c for c in chosen if c is not a and c is not b]
        chosen = [a, b, *chosen[: max(settings.max_answer_sentences - 2, 0)]]
    if unvoted < settings.min_sentence_score:
        return Composition(best_score=unvoted)
    text, citations = _render(chosen, retrieved, bool(differ))
    return Composition(text, citations, unvoted, bool(differ), chosen, typed_ok)


def _centered(
    vectors: np.ndarray[Any, Any], center: np.ndarray[Any, Any] | None
) -> np.ndarray[Any, Any]:
    if center is None:
        return vectors
    shifted = vectors - center
    norms = np.linalg.norm(shifted, axis=1, keepdims=True)
    return shifted / np.where(norms == 0, 1.0, norms)  # type: ignore[no-any-return]


def _stems_of(text: str) -> set[str]:
    return {stem(w) for w in content_words(text)}


# How a question asks, not what about: "how many months is typical?"
_NOT_A_FOCUS = frozenset(
    stem(w)
    for w in _words(
        "many much long soon quickly fast often typical typically usual usually til till until"
        # how a question is phrased, not what it is about: "take" is in "it takes 4-6 hours",
        # "start" in "dosing starts low ... over a period of weeks"
        " take takes taking took start starts starting begin begins stop stops stopping stay"
        " patient patients pt pts dose doses dosing"
    )
)


def _focus_terms(text: str, idf: Callable[[str], float]) -> set[str]:
    """The stems of `text`'s words, but for words no passage has that only describe ("tried",
    "held"): those the corpus lacks that name something ("surgery") stay."""
    unseen = idf("\x00 a word no passage has")
    return {stem(w) for w in content_words(text) if idf(stem(w)) < unseen or not is_descriptive(w)}


def _could_focus(wanted: AnswerType, term: str, idf: Callable[[str], float]) -> bool:
    """`term` says what a question is about, not how it asks ("how many", "hours", "usual")
    and not the corpus's own subject ("ldn")."""
    return (
        not wanted.answer.search(term)
        and not wanted.question.search(term)
        and term not in _NOT_A_FOCUS
        and idf(term) > TOPICAL_IDF
    )


def _focus(wanted: AnswerType, terms: set[str], idf: Callable[[str], float]) -> set[str]:
    """The question's three rarest words that the corpus uses, leaving out the phrasing of
    its answer type ("hours", "soon"); if it uses none of them, the words it does not use
    ("How many days before surgery ...?": no sentence can give that)."""
    unseen = idf("\x00 a word no passage has")
    candidates = [t for t in terms if _could_focus(wanted, t, idf)]
    own = [t for t in candidates if idf(t) < unseen]
    if not own:
        return set(candidates)
    # Ties broken by the word itself: a set's order changes from one process to the next.
    return set(sorted(own, key=lambda t: (-idf(t), t))[:3])


def _gives(c: Candidate, chosen: list[Candidate], wanted: AnswerType, focus: set[str]) -> bool:
    """c gives the kind of answer asked for, about the question's focus (itself or as the
    continuation of a chosen sentence that names it)."""
    if not wanted.answer.search(c.full):
        return False
    if (not focus and wanted.name == "a duration") or _shares_focus(c, focus):
        return True
    return any(_next_to(o, c) and _shares_focus(o, focus) for o in chosen if o is not c)


# Words for LDN doing its job: "how many weeks until pain improves?" asks how long until it
# works, which a sentence on when its effectiveness shows answers. ("effect" is left out:
# "side effects" are not LDN working.)
_OUTCOME = frozenset(
    stem(w)
    for w in _words(
        "work works working help helps helping improve improves improving improvement better "
        "effective effectiveness benefit benefits respond responds response relief kick kicks"
    )
)


def _shares_focus(c: Candidate, focus: set[str]) -> bool:
    stems = _stems_of(c.full)
    return bool(focus & stems) or bool(focus & _OUTCOME and stems & _OUTCOME)


def _continuations(
    chosen: list[Candidate],
    cands: list[Candidate],
    retrieved: list[RetrievedChunk],
    following: Callable[[str, int], RetrievedChunk | None],
) -> tuple[list[RetrievedChunk], list[Candidate]]:
    """The sentences right after chosen ones that no retrieved passage holds, each taken at
    the score of the sentence it continues, and the passages they come from."""
    retrieved = list(retrieved)
    out: list[Candidate] = []
    for o in chosen:
        if any(_next_to(o, t) for t in cands):
            continue
        extra = following(o.doc_id, o.end)
        if extra is None:
            continue
        nxt = next((t for t in candidate_sentences([extra]) if _next_to(o, t)), None)
        if nxt is not None:
            nxt.passage, nxt.score = len(retrieved), o.score
            retrieved.append(extra)
            out.append(nxt)
    return retrieved, out


def _make_room(chosen: list[Candidate], pick: Candidate, limit: int) -> list[Candidate]:
    """`chosen` plus `pick`, within `limit`: the lowest-scoring sentence goes, but not the
    one `pick` continues."""
    keep = list(chosen)
    while len(keep) >= max(limit, 1):
        droppable = [c for c in keep if not _next_to(c, pick)] or keep
        keep.remove(min(droppable, key=lambda c: c.score))
    return [*keep, pick]


def _next_to(a: Candidate, b: Candidate) -> bool:
    """b is the sentence right after a in the same document (list markers aside)."""
    return a.doc_id == b.doc_id and 0 <= b.start - a.end <= 4


def _reading_order(chosen: list[Candidate]) -> list[Candidate]:
    """Best first, but a sentence that continues a chosen one follows it directly."""
    out: list[Candidate] = []
    for c in sorted(chosen, key=lambda c: -c.score):
        if c in out:
            continue
        out.append(c)
        tail = c
        while nxt := next((o for o in chosen if o not in out and _next_to(tail, o)), None):
            out.append(nxt)
            tail = nxt
    return out


def _select(ranked: list[Candidate], cutoff: float, settings: Settings) -> list[Candidate]:
    floor = settings.min_sentence_score
    pool = [c for c in ranked if c.score >= cutoff and c.own >= floor]
    chosen: list[Candidate] = []
    while pool and len(chosen) < settings.max_answer_sentences:
        docs = {c.doc_id for c in chosen}
        pick = max(pool, key=lambda c: c.score + (NEW_SOURCE_BONUS if c.doc_id not in docs else 0))
        pool.remove(pick)
        if any(float(pick.vector @ o.vector) > settings.redundancy_threshold for o in chosen):
            continue
        chosen.append(pick)
    return chosen


def _sides(text: str, topic: set[str]) -> list[int | None]:
    """For each contrast pair, the side (0 or 1) that the sentence takes on the topic: the
    side word nearest to a topic word (within SIDE_WINDOW words), negated ones ignored."""
    tokens = re.findall(r"[a-z]+", _NEGATED.sub(" ", text.lower()))
    anchors = [i for i, t in enumerate(tokens) if stem(t) in topic]
    sides: list[int | None] = []
    for first, second, governing in CONTRASTS:
        best: tuple[int, int] | None = None  # (distance, side)
        for i, t in enumerate(tokens):
            side = 0 if t in first else 1 if t in second else None
            if side is None or not anchors:
                continue
            ahead = [a for a in anchors if a > i] if t in governing else anchors
            if not ahead:
                continue
            distance = min(abs(i - a) for a in ahead)
            if distance <= SIDE_WINDOW and (best is None or distance < best[0]):
                best = (distance, side)
        sides.append(None if best is None else best[1])
    return sides


def _disagreement(
    ranked: list[Candidate],
    chosen: list[Candidate],
    question_terms: set[str],
    cutoff: float,
    idf: Callable[[str], float],
) -> tuple[Candidate, Candidate] | None:
    """Two relevant sentences from different passages that take opposite sides on a
    topic of the question. The first side comes from the chosen sentences."""
    topical = {t for t in question_terms if idf(t) > TOPICAL_IDF}  # not in every passage
    pool = [c for c in ranked if c.own >= cutoff]
    for a in chosen:
        a_topic = topical & _stems_of(a.full)
        if not a_topic:
            continue
        for b in pool:
            if b is a or b.passage == a.passage:
                continue
            shared = a_topic & _stems_of(b.full)
            if not shared:
                continue
            for sa, sb in zip(_sides(a.full, shared), _sides(b.full, shared)):
                if sa is not None and sb is not None and sa != sb:
                    return a, b
    return None


def _render(
    chosen: list[Candidate], retrieved: list[RetrievedChunk], differ: bool
) -> tuple[str, list[Citation]]:
    """Markdown: sentences in paragraphs, each followed by its marker; a lead-in's items as a
    list under it, each item with the marker too; the two sides first when sources differ."""
    numbers: dict[int, int] = {}
    cited: dict[int, list[str]] = {}
    blocks: list[str] = []
    paragraph: list[str] = []
    for i, c in enumerate(chosen):
        n = numbers.setdefault(c.passage, len(numbers) + 1)
        cited.setdefault(c.passage, []).extend([c.text, *c.items])
        line = f"{c.text} [{n}]"
        side = differ and i < 2
        indent = "  " if side else ""
        items = "\n".join(f"{indent}- {item} [{n}]" for item in c.items)
        if side:
            if i == 0:
                blocks.append(f"**{SOURCES_DIFFER}**")
            blocks.append(f"- {line}" + (f"\n{items}" if items else ""))
            continue
        paragraph.append(line)
        if items:
            blocks.append(" ".join(paragraph))
            blocks.append(items)
            paragraph = []
    if paragraph:
        blocks.append(" ".join(paragraph))
    text = _join_blocks(blocks, differ)
    citations = []
    for p, n in sorted(numbers.items(), key=lambda kv: kv[1]):
        rc = retrieved[p]
        ch = rc.chunk
        citations.append(
            Citation(
                n=n,
                doc_id=ch.doc_id,
                title=ch.title,
                section=ch.section,
                text=ch.text,
                start=ch.start,
                end=ch.end,
                score=round(rc.similarity, 4),
                chunk_id=ch.id,
                sentences=cited[p],
            )
        )
    return text, citations


def _join_blocks(blocks: list[str], differ: bool) -> str:
    """Blocks apart by blank lines, except the two sides of a disagreement (one list)."""
    if differ and len(blocks) >= 3:
        return f"{blocks[0]}\n\n{blocks[1]}\n{blocks[2]}" + "".join(f"\n\n{b}" for b in blocks[3:])
    return "\n\n".join(blocks)


def idf_table(token_sets: list[set[str]]) -> Callable[[str], float]:
    """Smoothed inverse document frequency over chunks (stemmed tokens)."""
    n = len(token_sets)
    df = document_frequencies(token_sets)

    def idf(term: str) -> float:
        return math.log(1 + (n + 1) / (df.get(term, 0) + 1))

    return idf
