"""The one orchestrator: a question in, an `Answer` (with its evidence) out."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Collection as AbstractSet
from pathlib import Path
from typing import Any

import numpy as np

from ldn_assistant import safety, texts
from ldn_assistant.adapter import ExampleBank
from ldn_assistant.chunking import embedding_text
from ldn_assistant.compose import (
    DEFINITION,
    Composition,
    answer_texts,
    answer_type,
    candidate_sentences_of,
    compose_extractive,
    idf_table,
    stated_premise,
)
from ldn_assistant.lexicon import (
    PATIENT_GROUPS,
    QUESTION_WORDS,
    STOPWORDS,
    UNITS,
    Abbreviations,
    Synonyms,
    Vocabulary,
    bm25_tokens,
    content_words,
    expand_shorthand,
    is_common,
    is_descriptive,
    is_number,
    looks_like_drug_name,
    looks_non_english,
    without_doses_of,
    without_time_spans,
    words,
)
from ldn_assistant.models import Answer, Chunk, Passage, RetrievedChunk
from ldn_assistant.retrieval import HybridRetriever, Query
from ldn_assistant.safety import (
    CLASSIFIER_C,
    EXAMPLES_PATH,
    EmergencyDetector,
    asks_patient_dose,
    clean_question,
    is_emergency,
    load_examples,
    strip_instructions,
    train_classifier,
    without_denials,
)
from ldn_assistant.settings import Settings

log = logging.getLogger(__name__)

History = Sequence[Any]

# A follow-up leans on the previous question: it opens with a connective or a pronoun, or
# has too few content words to stand alone.
_FOLLOW_UP_START = re.compile(
    r"^(?:and|or|but|also|so|then|what about|how about|what if|and if|in|for|during|with|"
    r"is it|does it|can it|would it|could it|should it)\b",
    re.I,
)
_PRONOUN = re.compile(
    r"\b(?:it|its|this|that|these|those|they|them|their|he|him|his|she|her|ones)\b", re.I
)
NEARBY_TOPICS = 3
# In a follow-up, how much the new words weigh against the conversation in choosing sentences.
FOLLOW_UP_OWN_WEIGHT = 0.6
# How much of an over-long question is still scanned for an emergency.
EMERGENCY_SCAN_CHARS = 50_000
# A follow-up of a follow-up reaches back to the question that set the subject, this far.
FOLLOW_UP_TURNS = 3

# "a 70 kg patient", "aged 45": details of a person, not facts the corpus would need to state.
_PERSON_DETAILS = re.compile(
    r"\b\d+(?:\.\d+)?\s?(?:kg|kilos?|kilograms?|lbs?|pounds|stone)\b"
    r"|(?P<age>\b\d+[- ]?(?:years?[- ]old|y\.?/?o\.?|yrs?(?:[- ]old)?"
    r"|(?P<young>(?:months?|weeks?)[- ]old))|\b\d{1,3}[FM]"  # "45F"
    # a baby's age in weeks or months, however it is told: "son is 14 months", "my son, 14
    # months,", "daughter (8 months)", "just turned 8 months", "aged 20 months"
    r"|\b(?P<baby>(?:(?:son|daughter|baby|infant|toddler|child|kid|grandson|granddaughter"
    r"|boy|girl|nephew|niece)\b(?:\s*[,(]\s*|\s+(?:is|was|now|aged?|of|just turned|turned)\s+)"
    r"|\b(?:aged?:?|age of)\s+)(?:only |almost |nearly |about )?\d{1,2}\s?"
    r"(?:weeks?|months?|wks?|mos?))\b"
    r"|\b(?:aged?:?|age of)\s+\d+(?!\d)(?!\s?(?:weeks?|months?|wks?|mos?)\b)"
    r"|\b(?:girl|boy|child|kid|son|daughter) (?:of|aged) \d{1,2}(?![.,]?\d)(?: years?)?"
    r"(?!\s?(?:weeks?|months?|wks?|mos?)\b)"
    r"|\b(?:patient|she|he|child|kid|son|daughter|girl|boy) is \d{1,3}(?![.,]?\d)"
    r"(?!\s*(?:mg|mcg|milligrams?|g|ml|kg|lbs?|%|percent|times?|hours?|days?|weeks?|months?)\b))\b"
    # a date of birth or of a visit: "3 April 1961", "12/03/1961"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?"
    r"\s+\d{2,4}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b",
    re.I,
)


class Assistant:
    """Answers questions from the indexed corpus.

    `ask` runs these steps:
      1. clean the question (control characters, length limit); empty -> a prompt to ask;
      2. safety: an emergency gets the fixed emergency notice first;
      3. a question not in English gets a statement that the corpus is English;
      4. build the search query (conversation context for follow-ups, synonyms);
      5. retrieve passages (dense + BM25, reciprocal rank fusion);
      6. refuse when the question names what the corpus never mentions, or nothing is
         relevant enough;
      7. compose the extractive answer (verbatim sentences with [n] markers);
      8. add the dosing reminder for one patient's dose; the disclaimer is always added.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embeddings: Any = None,
        chat_model: Any = None,
        build_missing: bool = True,
        prepare_sentences: bool = True,
    ):
        self.settings = settings or Settings()
        self._embeddings = embeddings
        # A LangChain chat model for generative mode; None = built from settings on first use.
        self._chat_model = chat_model
        self._build_missing = build_missing
        # Encode every quotable sentence at start-up (servers, eval); a one-question CLI
        # process skips it and encodes only the sentences it needs.
        self._prepare_sentences = prepare_sentences
        self._ready = threading.Lock()
        self._retriever: HybridRetriever | None = None
        self._sentence_cache: dict[str, np.ndarray[Any, Any]] = {}
        self._cache_lock = threading.Lock()
        self._word_vectors: np.ndarray[Any, Any] | None = None
        self._premise_table: np.ndarray[Any, Any] | None = None
        # The query adapter and the retrieval examples it was learnt from (warm_up).
        self._examples: ExampleBank | None = None
        self.doc_titles: dict[str, str] = {}

    # ---- start-up ------------------------------------------------------------------------
    def warm_up(self) -> Assistant:
        """Load the index, the embedding model and BM25 once per process."""
        with self._ready:
            if self._retriever is not None:
                return self
            from ldn_assistant.embeddings import make_embeddings
            from ldn_assistant.index import IndexMissing, IndexStore

            if self._embeddings is None:
                self._embeddings = make_embeddings(self.settings)
            store = IndexStore(self.settings, self._embeddings)
            if self._build_missing:
                # Incremental: a current index costs one pass over the corpus files.
                from ldn_assistant.corpus import load_corpus

                loaded = load_corpus(self.settings.corpus_dir, self.settings.max_file_mb)
                for skipped in loaded.skipped:
                    log.warning("%s", skipped)
                if loaded.documents:
                    store.update(loaded.documents)
            if store.read_manifest() is None:
                raise IndexMissing(
                    f"No index at {self.settings.index_dir} and no readable articles in "
                    f"{self.settings.corpus_dir}."
                )
            chunks, vectors = store.load_chunks()
            synonyms = Synonyms.load(self.settings.synonyms_path)
            self.abbreviations = Abbreviations.load(self.settings.abbreviations_path)
            self.emergency_detector = EmergencyDetector(
                self._encode, self._emergency_weights(), self.settings.emergency_threshold
            )
            corpus_texts = [c.text for c in chunks]
            share = self.settings.synonym_max_share
            self.synonyms = synonyms.drop_common(corpus_texts, share)
            self.common_forms = synonyms.common_forms(corpus_texts, share)
            self.subject_words = synonyms.common_words(corpus_texts, share)
            # The subject's names, not the common words among them ("LDN", not "dose").
            self.subject_names = frozenset(
                w for w in self.subject_words if w not in QUESTION_WORDS and not is_common(w)
            )
            self.vocabulary = Vocabulary((embedding_text(c) for c in chunks), synonyms)
            self.idf = idf_table([set(bm25_tokens(embedding_text(c))) for c in chunks])
            self.doc_titles = {c.doc_id: c.title for c in chunks}
            self.center = vectors.mean(axis=0) if len(vectors) else None
            self._examples = self._query_adapter(chunks, vectors)
            self._retriever = HybridRetriever(
                self.settings,
                store,
                chunks,
                vectors,
                synonyms,
                None if self._examples is None else self._examples.weights,
            )
            looks_non_english("warm up word frequency tables")
            is_descriptive("warm")  # and the lemma tables
            # Every sentence an answer can quote, alone and in its section, encoded once now
            # so that a warm `ask` only encodes the question.
            if self._prepare_sentences:
                self._sentence_vectors(answer_texts(candidate_sentences_of(chunks)))
                self._closest_corpus_similarities(["warm"])  # the corpus word table, encoded once
                self._premise_support("warm")  # and the sentence table premises are checked on
            else:
                self._encode(["warm up the model"])
        return self

    @property
    def retriever(self) -> HybridRetriever:
        self.warm_up()
        assert self._retriever is not None
        return self._retriever

    def _emergency_weights(self) -> np.ndarray[Any, Any]:
        """The emergency classifier, trained once for these examples and this embedding model
        and kept beside the index (training encodes about 2,500 texts: some 6 s here)."""
        key = hashlib.sha256(
            b"\0".join(
                [
                    EXAMPLES_PATH.read_bytes(),
                    Path(safety.__file__).read_bytes(),  # how questions are split into parts
                    self.settings.embedding_model.encode(),
                    repr(CLASSIFIER_C).encode(),
                ]
            )
        ).hexdigest()
        path = self.settings.index_dir / "emergency-classifier.json"
        try:
            cached = json.loads(path.read_text("utf-8"))
            if cached.get("key") == key:
                return np.asarray(cached["weights"], dtype=np.float32)
        except (OSError, ValueError, AttributeError):
            pass
        weights = train_classifier(self._encode, load_examples())
        try:
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"key": key, "weights": weights.tolist()}), "utf-8")
            tmp.replace(path)
        except OSError as err:  # a read-only index still works, training again next time
            log.warning("Could not keep the emergency classifier at %s: %s", path, err)
        return weights

    def _query_adapter(
        self, chunks: list[Chunk], vectors: np.ndarray[Any, Any]
    ) -> ExampleBank | None:
        """The query adapter learnt from the retrieval examples for these passages and this
        model, with the examples' question vectors, kept beside the index (training encodes the
        examples: about 25 s here)."""
        from ldn_assistant import adapter

        if not self.settings.query_adapter:
            return None
        path = self.settings.retrieval_examples_path
        examples = adapter.load_examples(path)
        targets = adapter.example_targets(examples, chunks)
        kept = [(e, t) for e, t in zip(examples, targets) if t is not None]
        if len(kept) < len(examples):
            log.warning(
                "%d of %d retrieval examples in %s quote no passage of their article; left out",
                len(examples) - len(kept),
                len(examples),
                path,
            )
        if not kept:
            return None
        pairs = [(e.question, t) for e, t in kept]
        key = hashlib.sha256(
            b"\0".join(
                [
                    json.dumps(pairs).encode(),
                    "\n".join(embedding_text(c) for c in chunks).encode(),
                    Path(adapter.__file__).read_bytes(),  # how it is trained
                    self.settings.embedding_model.encode(),
                ]
            )
        ).hexdigest()
        cache = self.settings.index_dir / "query-adapter.npz"
        weights = questions = None
        try:
            with np.load(cache) as stored:
                if str(stored["key"]) == key:
                    weights, questions = stored["weights"], stored["questions"]
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):  # none, or damaged
            pass
        if weights is None or questions is None:
            encoded = self._encode([q for q, _ in pairs])
            weights = adapter.train_adapter(encoded, [t for _, t in pairs], vectors)
            questions = encoded.astype(np.float16)  # kept at half size, read the same way
            try:
                tmp = cache.with_suffix(".tmp.npz")
                np.savez(tmp, key=np.asarray(key), weights=weights, questions=questions)
                tmp.replace(cache)
            except OSError as err:  # a read-only index still works, training again next time
                log.warning("Could not keep the query adapter at %s: %s", cache, err)
        return adapter.ExampleBank(
            weights, questions.astype(np.float32), [e.quote for e, _ in kept]
        )

    def _votes(self, vector: np.ndarray[Any, Any]) -> list[tuple[str, float]]:
        """The retrieval examples nearest the question that may vote for sentences."""
        bank = self._examples  # set by warm_up, before any question is searched
        if bank is None or self.settings.example_vote_weight <= 0:
            return []
        floor = self.settings.example_vote_floor
        near = bank.neighbours(vector, self.settings.example_neighbours)
        return [(quote, sim) for quote, sim in near if sim >= floor]

    def _encode(self, items: list[str]) -> np.ndarray[Any, Any]:
        from ldn_assistant.embeddings import encode

        return encode(self._embeddings, items)

    def _closest_corpus_similarities(self, words: list[str]) -> list[float]:
        """For each of `words`, the cosine to the corpus word closest to it in meaning."""
        with self._cache_lock:
            if self._word_vectors is None:
                vocabulary = sorted(
                    w
                    for w in self.vocabulary.words
                    if len(w) > 2 and w.isalpha() and w not in STOPWORDS
                )
                self._word_vectors = self._encode(vocabulary)
            table = self._word_vectors
        if not len(table) or not words:
            return [0.0] * len(words)
        from ldn_assistant.embeddings import similarities

        return [float(x) for x in similarities(table, self._encode(words)).max(axis=0)]

    def _sentence_vectors(self, sentences: list[str]) -> np.ndarray[Any, Any]:
        with self._cache_lock:
            missing = [s for s in dict.fromkeys(sentences) if s not in self._sentence_cache]
        if missing:
            vectors = self._encode(missing)
            with self._cache_lock:
                self._sentence_cache.update(zip(missing, vectors))
        return np.stack([self._sentence_cache[s] for s in sentences])

    # ---- asking --------------------------------------------------------------------------
    def ask(
        self,
        question: object,
        history: History | None = None,
        *,
        top_k: int | None = None,
        doc_ids: AbstractSet[str] | None = None,
    ) -> Answer:
        """Answer one question; never raises (errors become an answer with the disclaimer)."""
        started = time.perf_counter()
        try:
            answer = self._ask(question, history, top_k, doc_ids, started)
        except Exception:
            log.exception("ask failed")
            answer = Answer(
                question=str(question)[:200],
                text=texts.INTERNAL_ERROR,
                refused=True,
                safety="error",
            )
        if self.settings.log_questions:
            self._log(answer)
        return answer

    def _ask(
        self,
        raw: object,
        history: History | None,
        top_k: int | None,
        doc_ids: AbstractSet[str] | None,
        started: float,
    ) -> Answer:
        timings: dict[str, float] = {}
        cleaned = clean_question(raw, self.settings.max_question_chars)
        question = cleaned.text
        notices = []
        if cleaned.truncated:
            notices.append(texts.TOO_LONG.format(limit=self.settings.max_question_chars))
        if not question:
            return Answer(question="", text=texts.EMPTY_QUESTION, refused=True, safety="empty")
        shown = question  # what the user typed (cleaned); `question` is what gets answered
        question, instructed = strip_instructions(question)
        question = expand_shorthand(question)
        if instructed:
            notices.append(texts.INSTRUCTIONS_IGNORED)
            if not question:
                return self._finish(
                    Answer(
                        question=shown,
                        text=texts.EMPTY_QUESTION,
                        refused=True,
                        notices=notices,
                        safety="empty",
                    ),
                    started,
                    timings,
                )

        # Also what the question was cut from, and the conversation a follow-up continues
        # ("what symptoms should I watch for?" after "My patient took too many LDN pills").
        whole = clean_question(raw, EMERGENCY_SCAN_CHARS).text if cleaned.truncated else ""
        emergency = (
            is_emergency(question)
            or is_emergency(shown)
            or is_emergency(whole)
            # a follow-up to an emergency: the last question only, not older turns
            or (_is_follow_up(question) and is_emergency(_last_user_turn(history)))
            # beyond the patterns: the classifier, on the question as typed and as read
            or self.warm_up().emergency_detector.by_meaning(shown, question)
        )
        if not emergency and looks_non_english(question):
            return self._finish(
                Answer(
                    question=shown,
                    text=texts.NOT_ENGLISH,
                    refused=True,
                    notices=notices,
                    safety="language",
                ),
                started,
                timings,
            )

        t0 = time.perf_counter()
        context, query, retrieved = self._search(question, history, top_k, doc_ids)
        readings = self.abbreviations.resolve(question, self.vocabulary.mentions)[1]
        if readings:
            notices.append(
                texts.READ_AS.format(readings="; ".join(f"{a} as {m}" for a, m in readings.items()))
            )
        question = query.text  # misspellings put right, the subject in its usual form
        search_text = query.search_text
        timings["retrieve_ms"] = (time.perf_counter() - t0) * 1000
        passages = [_passage(rc) for rc in retrieved]

        t0 = time.perf_counter()
        # Names only in what the clinician tells about the patient ("Pt is on escitalopram for
        # GAD.") do not stop an answer to what is asked; the answer says they are not covered.
        unmentioned: list[str] = []
        # A patient group, unit or number there still decides what an answer would apply to
        # ("My patient is a 7-year-old. What dose?", "She takes 9 mg. Is that safe?"); an
        # adult's age, a weight or a date is left out beforehand (`_without_person_details`).
        # What the clinician says the patient does not have ("denies CP, SOB") is neither asked
        # about nor told of.
        checked = without_denials(question)
        asked, told = asked_and_background(checked, self.subject_names)
        # (ages first: "a 7-year-old" is a child, not a span of time)
        background = without_time_spans(
            _without_person_details(without_doses_of(told, self._other_drug, self._taken_drug))
        )
        if told and self._about_the_background(asked, background):
            # "Pt on adalimumab. Safe with LDN?", "She takes 9 mg. Is that dose ok?": what
            # is told is what is asked about.
            asked, background = checked, ""
        missing = self._uncovered(asked)
        for term in (
            *self.vocabulary.unmentioned_conditions(_without_person_details(asked)),
            *self.vocabulary.unmentioned_effects(
                asked, self._closest_corpus_similarities, self.settings.near_word_similarity
            ),
            *self.vocabulary.unmentioned_missed_dose(checked),
        ):
            if term not in missing:
                missing.append(term)
        for term in self._uncovered(background):
            if term in missing or term in unmentioned:
                continue
            if term in PATIENT_GROUPS or term in UNITS:
                missing.append(term)
            elif is_number(term):
                # A number told beside a question of its own ("What's the usual range? The
                # pharmacy sent 6mg caps."); one the question is about ("Is that dose ok?",
                # "Is it safe?") made the whole question be checked (_about_the_background).
                dose = re.search(rf"(?<![\w.]){re.escape(term)}\s?mg\b", background, re.I)
                unmentioned.append(f"{term} mg" if dose else term)
            else:
                unmentioned.append(term)
        # Whether the corpus has anything close to the question is the model's own cosine
        # to the closest passage, whichever passages the ranking (adapted, fused) shows.
        top_similarity = max((rc.similarity for rc in retrieved), default=0.0)
        if retrieved:
            top_similarity = max(top_similarity, self.retriever.closest(query, doc_ids))
        composition = Composition()
        if not missing and top_similarity >= self.settings.min_similarity:
            lexical_question = self.synonyms.expand(question)
            meaning = query.vector
            if context != question:  # follow-up: its own words lead, the context helps
                lexical_question = f"{lexical_question} {lexical_question} {context}"
                own = self._encode([question])[0]
                meaning = FOLLOW_UP_OWN_WEIGHT * own + (1 - FOLLOW_UP_OWN_WEIGHT) * meaning
                meaning = meaning / (np.linalg.norm(meaning) or 1.0)
            wanted = answer_type(question)
            composition = compose_extractive(
                lexical_question,
                meaning,
                retrieved,
                self._sentence_vectors,
                self.idf,
                self.settings,
                self.center,
                wanted,
                lambda doc_id, offset: self._following(doc_id, offset, query.vector),
                asked if background else None,
                self._votes(meaning),
            )
        gaps: list[str] = []
        if composition.text:
            gaps = self._answer_gaps(question, composition)
            if gaps:
                composition = Composition(best_score=composition.best_score)
        timings["compose_ms"] = (time.perf_counter() - t0) * 1000
        mode = "extractive"
        unsupported: list[str] = []
        if composition.text and self.settings.llm_provider != "none":
            t0 = time.perf_counter()
            generated = self._generate(question, history, retrieved)
            timings["generate_ms"] = (time.perf_counter() - t0) * 1000
            if generated is None:
                notices.append(texts.LLM_UNAVAILABLE)
            else:
                mode = "generative"
                unsupported = generated.unsupported
                composition = Composition(
                    generated.text, generated.citations, composition.best_score, False, []
                )
        extra = {
            "uncovered_terms": missing,
            "answer_gaps": gaps,
            "top_similarity": round(top_similarity, 4),
            "best_sentence_score": round(composition.best_score, 4),
            "search_text": search_text,
            "background_terms": unmentioned,
        }

        if emergency:
            # The notice stands alone, also for a question that seems to ask about such events
            # in general ("What happens in an LDN overdose?"): the sources do not speak of
            # emergencies, and a loosely matching sentence ("generally considered safe") next
            # to the notice could only mislead.
            answer = Answer(
                question=shown,
                text=texts.EMERGENCY_NOTICE,
                safety="emergency",
                notices=notices,
                retrieved=passages,
                extra=extra,
            )
        elif not composition.text:
            nearby = self._nearby(retrieved)
            body = texts.REFUSAL
            absent = _as_phrases([t for t in missing if not is_number(t)], question)
            if absent:  # why: "Is LDN safe with methadone?"
                body += " " + texts.UNMENTIONED.format(terms=", ".join(absent))
            if nearby:
                body += "\n\n" + texts.NEARBY_INTRO + "\n" + "\n".join(f"- {t}" for t in nearby)
            answer = Answer(
                question=shown,
                text=body,
                refused=True,
                nearby=nearby,
                notices=notices,
                retrieved=passages,
                extra=extra,
            )
        else:
            body = composition.text
            safety = None
            if asks_patient_dose(question):
                body = f"_{texts.DOSING_REMINDER}_\n\n{body}"
                safety = "patient_dose"
            if unmentioned:
                named = ", ".join(_as_phrases(unmentioned, background))
                notices.append(texts.NOT_MENTIONED.format(terms=named))
            answer = Answer(
                question=shown,
                text=body,
                citations=composition.citations,
                safety=safety,
                notices=notices,
                retrieved=passages,
                sources_differ=composition.sources_differ,
                extra=extra,
            )
        answer = answer.model_copy(update={"mode": mode, "unsupported": unsupported})
        return self._finish(answer, started, timings)

    def _generate(
        self, question: str, history: History | None, retrieved: list[RetrievedChunk]
    ) -> Any:
        """Generative answer (checked sentence by sentence), or None when the model server
        cannot be used; the caller then keeps the extractive answer and says so."""
        from ldn_assistant.generative import GenerationUnavailable, generate_answer, make_chat_model

        try:
            if self._chat_model is None:
                self._chat_model = make_chat_model(self.settings)
            return generate_answer(
                self.settings, self._chat_model, question, retrieved, self._sentence_vectors
            )
        except GenerationUnavailable as exc:
            log.warning("generative mode unavailable: %s", exc)
            return None

    def search(
        self,
        question: str,
        history: History | None = None,
        k: int | None = None,
        doc_ids: AbstractSet[str] | None = None,
    ) -> tuple[str, Query, list[RetrievedChunk]]:
        """Retrieval exactly as `ask` does it: (question with context, query, ranked chunks)."""
        cleaned = clean_question(question, self.settings.max_question_chars).text
        return self._search(expand_shorthand(strip_instructions(cleaned)[0]), history, k, doc_ids)

    def _search(
        self,
        question: str,
        history: History | None,
        k: int | None,
        doc_ids: AbstractSet[str] | None,
    ) -> tuple[str, Query, list[RetrievedChunk]]:
        """`search` for a question already cleaned (not cut again after shorthand has made it
        longer)."""
        self.warm_up()
        question = self._normalized(question)
        context = self._normalized(self._with_context(question, history))
        search_text = self.synonyms.expand(_without_person_details(context))
        query = self._query(question, search_text)
        also = None
        if context != question:  # a follow-up: its own words are searched too
            also = self._query(question, self.synonyms.expand(_without_person_details(question)))
        wanted = answer_type(question)
        prefer = wanted.answer if wanted is not None and wanted.name == DEFINITION else None
        found = self.retriever.retrieve(query, k or self.settings.top_k, doc_ids, also, prefer)
        return context, query, found

    def _query(self, question: str, search_text: str) -> Query:
        """The search text encoded as it is and without the corpus's topic words."""
        free = self.retriever.topic_free(search_text)
        vectors = self._encode([search_text] if free is None else [search_text, free])
        return Query(question, search_text, vectors[0], vectors[1] if free else None)

    def _normalized(self, question: str) -> str:
        """Clinical abbreviations spelled out (as far as the corpus uses their meaning),
        misspelt corpus words put right, the corpus subject in its usual form."""
        question = self.abbreviations.resolve(question, self.vocabulary.mentions)[0]
        return self.common_forms(self.vocabulary.correct_spelling(question))

    def _other_drug(self, word: str) -> bool:
        """`word` names a drug other than the corpus's subject, by the ending of its name
        ("sertraline 150", "methotrexate 15mg"; not "takes 9", "LDN 4.5", "sublingual 9 mg" or
        "eGFR 15", which are what the question is about)."""
        low = word.lower()
        return low not in self.subject_words and looks_like_drug_name(low)

    def _about_the_background(self, asked: str, background: str) -> bool:
        """`asked` only asks whether what was told is all right ("ok to add LDN?", "is it
        safe?"), or refers back to a dose told ("is that dose ok?")."""
        if _REFERS_BACK.search(asked) or (_IS_THAT.match(asked) and re.search(r"\d", background)):
            return True
        # "Any data?", "Evidence?", "What should I tell her?", "Does LDN work?": what is known
        # about what was told, nothing of its own.
        if _ASKS_FOR_WHAT_WAS_TOLD & set(words(asked)) and not self._own_words(
            asked, lambda w: w in _ASKS_FOR_WHAT_WAS_TOLD
        ):
            return True
        # "When should she take LDN?", "What dose should I use?", "How do I start?" ask how,
        # not whether what was told is all right; "How safe is it?", "What are the risks?" do.
        whether = _WHETHER_SAFE if _OPEN_QUESTION.match(asked) else _WHETHER_OK
        if not whether.search(asked):
            return False
        return not self._own_words(asked, lambda w: bool(_WHETHER_OK.fullmatch(w)))

    def _own_words(self, asked: str, phrasing: Callable[[str], bool]) -> list[str]:
        """The words of `asked` that say what it is about: not question words, the subject,
        the words such questions are made of, nor those `phrasing` accepts."""
        return [
            w
            for w in content_words(asked)
            if w not in QUESTION_WORDS
            and w not in self.subject_words
            and w not in _WHETHER_OK_WORDS
            and not phrasing(w)
        ]

    def _taken_drug(self, word: str) -> bool:
        """`word`, right after "on" or "taking" and before a dose, names what the patient
        takes: a noun rare in English that is not the corpus's subject ("on levothyroxine
        75 mcg"; not "takes sublingual 9 mg" or "on oral 3 mg", a route, nor "on LDN 4.5
        mg")."""
        from lemminflect import getAllLemmas
        from wordfreq import zipf_frequency

        low = word.lower()
        return (
            low not in self.subject_words
            and low not in _DOSAGE_FORMS
            and not {"ADJ", "VERB", "ADV"} & set(getAllLemmas(low))
            and not _ADJECTIVE_ENDING.search(low)
            and zipf_frequency(low, "en") < self.settings.specific_term_zipf
        )

    def _uncovered(self, text: str) -> list[str]:
        """Specific terms of `text` that the corpus never mentions (see `Vocabulary`)."""
        return self.vocabulary.uncovered_specific_terms(
            _without_person_details(text),
            self.settings.specific_term_zipf,
            self._closest_corpus_similarities,
            self.settings.near_word_similarity,
        )

    def _following(
        self, doc_id: str, offset: int, vector: np.ndarray[Any, Any]
    ) -> RetrievedChunk | None:
        """The chunk of `doc_id` in which the text after `offset` goes on (the sentence after
        a chunk's last one opens the next chunk), scored against the query `vector`."""
        retriever = self.retriever
        after = [
            i
            for i, c in enumerate(retriever.chunks)
            if c.doc_id == doc_id and c.start <= offset + 4 and c.end > offset + 1
        ]
        if not after:
            return None
        i = max(after, key=lambda j: retriever.chunks[j].start)
        similarity = float(retriever.vectors[i] @ vector)
        return RetrievedChunk(chunk=retriever.chunks[i], score=0.0, similarity=similarity)

    def _answer_gaps(self, question: str, composition: Composition) -> list[str]:
        """What the question asks for that the chosen sentences do not give (a duration for
        "how long", a price, ...), or a premise it states that no corpus sentence is close
        to: then the corpus does not answer it."""
        gaps = []
        wanted = answer_type(question)
        if wanted and composition.typed_ok is False:
            gaps.append(f"<{wanted.name}>")
        premise = stated_premise(question)
        if premise is not None and self._premise_support(premise) < (
            self.settings.min_premise_similarity
        ):
            gaps.append(f"<premise: {premise}>")
        return gaps

    def _premise_support(self, premise: str) -> float:
        """Cosine of `premise` to the closest corpus sentence, both without the corpus's
        topic words ("LDN"), which would make any statement about LDN look supported."""
        retriever = self._retriever  # set by warm_up, which also calls this (no re-entry)
        assert retriever is not None
        table = self._premise_table
        if table is None:
            # Through the sentence cache: a sentence without "LDN" is already encoded there.
            texts = [c.full for c in candidate_sentences_of(retriever.chunks)]
            free = [retriever.topic_free(t) or t for t in texts]
            table = self._sentence_vectors(free) if free else np.zeros((0, 0))
            self._premise_table = table
        if not len(table):
            return 0.0
        vector = self._encode([retriever.topic_free(premise) or premise])[0]
        from ldn_assistant.embeddings import similarities

        return float(similarities(table, vector).max())

    def _finish(self, answer: Answer, started: float, timings: dict[str, float]) -> Answer:
        if answer.notices:
            answer = answer.model_copy(
                update={
                    "text": "\n\n".join(f"_{n}_" for n in answer.notices) + "\n\n" + answer.text
                }
            )
        timings["total_ms"] = (time.perf_counter() - started) * 1000
        return answer.model_copy(
            update={"timings_ms": {k: round(v, 2) for k, v in timings.items()}}
        )

    def _with_context(self, question: str, history: History | None) -> str:
        """`question` after the earlier user turns it leans on: the previous one, and the
        ones before it while each opens with a connective or has a pronoun ("And how was it
        dosed?"), at most `FOLLOW_UP_TURNS` of them. A short earlier question that names
        its own subject ("What does LDN do to serotonin?") ends the chain."""
        return " ".join([*self._context_turns(question, history), question])

    def _context_turns(self, question: str, history: History | None) -> list[str]:
        """The earlier user turns a follow-up leans on, oldest first (see `_with_context`)."""
        if not _is_follow_up(question):
            return []
        context: list[str] = []
        for turn in _user_turns(history):
            context.insert(0, turn)
            if len(context) == FOLLOW_UP_TURNS or not _is_follow_up(turn, short=False):
                break
        return context

    def _nearby(self, retrieved: list[RetrievedChunk]) -> list[str]:
        out: list[str] = []
        for rc in retrieved:
            where = f"{rc.chunk.title}, {rc.chunk.section}" if rc.chunk.section else rc.chunk.title
            if where not in out:
                out.append(where)
            if len(out) == NEARBY_TOPICS:
                break
        return out

    def _log(self, answer: Answer) -> None:
        try:
            path = self.settings.log_file
            path.parent.mkdir(parents=True, exist_ok=True)
            record = {
                "time": time.time(),
                "question": answer.question,
                "refused": answer.refused,
                "safety": answer.safety,
                "citations": [c.chunk_id for c in answer.citations],
            }
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(record) + "\n")
        except OSError:
            log.warning("could not write the question log %s", self.settings.log_file)


# A question that only asks whether what was told is all right: "ok to add LDN?", "Is it safe
# to combine?". Plain English, no claim about any drug.
_SAFETY_WORDS = (
    r"safe|safely|safety|ok|okay|alright|fine|combine|combined|combining|combination|together"
    r"|alongside|interact|interacts|interaction|interactions|mix|mixing|concerns?|issues?"
    r"|problems?|risks?|risky|contraindicated|compatible|worry|worried|wise|advisable"
    r"|appropriate|allowed"
)
_WHETHER_OK = re.compile(
    rf"\b(?:{_SAFETY_WORDS}|add|adding|added|start|starting|continue|continuing|take|taking"
    r"|use|using|try|trying|prescribe|prescribing|give|giving)\b",
    re.I,
)
# The same, asked with "what", "when", "how": only words of safety, not "take", "start".
_WHETHER_SAFE = re.compile(rf"\b(?:{_SAFETY_WORDS})\b", re.I)
_OPEN_QUESTION = re.compile(r"^\W*(?:what|when|how|which|where|why|who)\b", re.I)
# Words of a question that asks for what is known about what was told ("Any data?").
_ASKS_FOR_WHAT_WAS_TOLD = frozenset(
    [
        "evidence",
        "data",
        "thoughts",
        "thought",
        "advice",
        "guidance",
        "studies",
        "study",
        "research",
        "literature",
        "opinion",
        "opinions",
        "true",
        "anything",
        "experience",
        "ideas",
        "idea",
        "recommend",
        "recommendation",
        "recommendations",
        "work",
        "works",
        "working",
        "effective",
        "tell",
        "say",
        "says",
    ]
)
# Other words such a question is made of ("Can she also take LDN with it?").
_WHETHER_OK_WORDS = frozenset(
    [
        "take",
        "taking",
        "takes",
        "took",
        "use",
        "using",
        "also",
        "still",
        "too",
        "well",
        "patient",
        "patients",
        "pt",
        "she",
        "he",
        "her",
        "him",
        "they",
        "them",
        "someone",
        "person",
        "people",
        "anything",
        "any",
        "known",
        "ahead",
        "go",
        "going",
        "be",
        "can",
        "could",
        "would",
        "should",
        "will",
        "safe",
    ]
)
# "Is that dose ok?": the dose the question refers back to was told before it.
_REFERS_BACK = re.compile(
    r"\b(?:that|this|these|those|such an?|the same) (?:dose|doses|dosage|amount|regimen"
    r"|forms?|formulations?|preparations?|products?|versions?)\b",
    re.I,
)
# "Her dose is now 9 mg - is that too high?": "that" after a number told.
_IS_THAT = re.compile(
    r"^\W*(?:is|was|isn'?t|would|will|does|doesn'?t|could|can) (?:that|this)\b", re.I
)
# Forms a medicine is taken in: before a dose they are LDN's own form, not another drug.
_DOSAGE_FORMS = frozenset(
    [
        "troche",
        "troches",
        "lozenge",
        "lozenges",
        "gummy",
        "gummies",
        "capsule",
        "capsules",
        "caps",
        "cap",
        "tab",
        "tabs",
        "tablet",
        "tablets",
        "pill",
        "pills",
        "microdose",
        "microdoses",
        "drops",
        "cream",
        "creams",
        "liquid",
        "solution",
        "suspension",
        "injection",
        "injections",
        "patch",
        "patches",
        "spray",
        "compounded",
    ]
)
# Endings of adjectives English dictionaries may lack ("sublingual", "transdermal").
_ADJECTIVE_ENDING = re.compile(r"(?:al|ous|ic|ive|ar|ary|able|ible)$")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
# A clause set apart by a dash or semicolon ("Pt w/ hx recurrent UTIs - is LDN ...?") tells
# on its own when it has at least CLAUSE_WORDS words; a shorter one is a topic ("Metformin -
# ok with LDN?") and stays with what follows.
_CLAUSE_BREAK = re.compile(r"\s+[-–—]+\s+|;\s+")
CLAUSE_WORDS = 4
_ASKS = re.compile(
    r"\?\s*$|^\W*(?:what|which|how|why|when|where|who|whom|whose|is|are|was|were|can|could"
    r"|does|do|did|should|would|will|may|might|any|ok|okay|has|have|tell|explain)\b"
    # asked in the telling, now: "She wants to know if it has been tried for ..." (not a
    # story: "Pt wondered about LDN last year but chose ...")
    r"|\b(?:wants|would like|needs) to know\b|\b(?:wonders|wondering)\b"
    r"|\b(?:asks|asking) (?:if|whether)\b",
    re.I,
)


def asked_and_background(question: str, names: AbstractSet[str] = frozenset()) -> tuple[str, str]:
    """The sentences of `question` that ask something and those that only tell (about the
    patient), or (question, "") when it does not split that way. A clause naming the corpus's
    subject (`names`: "LDN combined with methadone; is it safe?") is what is asked about."""
    parts = [c for p in _SENTENCE_BREAK.split(question) for c in _clauses(p, names) if c.strip()]
    asked = [p for p in parts if _ASKS.search(p)]
    if not asked or len(asked) == len(parts):
        return question, ""
    return " ".join(asked), " ".join(p for p in parts if p not in asked)


def _clauses(sentence: str, names: AbstractSet[str]) -> list[str]:
    """`sentence` cut at dashes and semicolons after clauses of CLAUSE_WORDS words or more
    that do not name the subject."""
    out: list[str] = []
    start = 0
    for m in _CLAUSE_BREAK.finditer(sentence):
        clause = sentence[start : m.start()]
        if len(clause.split()) >= CLAUSE_WORDS and not any(w in names for w in words(clause)):
            out.append(clause)
            start = m.end()
    return [*out, sentence[start:]]


def _without_person_details(text: str) -> str:
    """`text` without a patient's weight, age or date of birth, which are not facts to look
    up; an age under 18 becomes "child", a patient group the corpus may not speak of."""

    def replace(m: re.Match[str]) -> str:
        if m.group("age"):
            years = re.search(r"\d+", m.group("age"))
            if (
                m.group("young")
                or m.group("baby")
                or (years is not None and int(years.group(0)) < 18)
            ):
                return " child "
        return " "

    return _PERSON_DETAILS.sub(replace, text)


def _as_phrases(terms: list[str], text: str) -> list[str]:
    """`terms` as `text` writes them, neighbours in `text` joined: ["hair", "loss"] -> ["hair
    loss"]."""
    phrases: list[str] = []
    for term in terms:
        if phrases:
            joined = re.search(
                r"(?<!\w)" + re.escape(phrases[-1]) + r"[\s-]+" + re.escape(term) + r"(?!\w)",
                text,
                re.I,
            )
            if joined:
                phrases[-1] = joined.group(0)
                continue
        phrases.append(_as_written(term, text))
    return phrases


def _as_written(term: str, text: str) -> str:
    """`term` (lower-cased) as `text` writes it ("gad" -> "GAD")."""
    m = re.search(r"(?<!\w)" + re.escape(term) + r"(?!\w)", text, re.I)
    return m.group(0) if m else term


def _passage(rc: RetrievedChunk) -> Passage:
    c = rc.chunk
    return Passage(
        chunk_id=c.id,
        doc_id=c.doc_id,
        title=c.title,
        section=c.section,
        text=c.text,
        start=c.start,
        end=c.end,
        score=round(rc.score, 5),
        similarity=round(rc.similarity, 4),
    )


def _is_follow_up(question: str, short: bool = True) -> bool:
    """Does `question` lean on an earlier one: a connective at the start, a pronoun, or
    (when `short`) too few content words to stand alone."""
    return bool(
        _FOLLOW_UP_START.match(question)
        or _PRONOUN.search(question)
        or (short and len(content_words(question)) <= 2)
    )


def _last_user_turn(history: History | None) -> str:
    return next(_user_turns(history), "")


def _user_turns(history: History | None) -> Iterator[str]:
    """The user messages of a history given as dicts, (user, bot) pairs or strings, latest
    first (blank ones left out)."""
    for turn in reversed(list(history or [])):
        text: Any = None
        if isinstance(turn, dict):
            if turn.get("role") == "user":
                text = turn.get("content")
        elif isinstance(turn, (list, tuple)) and turn:
            text = turn[0]
        elif isinstance(turn, str):
            text = turn
        if isinstance(text, str) and text.strip():
            yield text
