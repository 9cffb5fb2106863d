"""Words: tokenising, stemming, curated synonyms, and what the corpus vocabulary covers.

Used by BM25, by sentence scoring and by the refusal check that asks whether a question
names something (a drug, a condition, a number) that the corpus never mentions.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

import yaml

_WORD = re.compile(r"\d+(?:\.\d+)?|[^\W\d_](?:[\w'’-]*\w)?", re.UNICODE)
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")

# Function words: they never decide relevance.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "aren't",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "can't",
        "could",
        "couldn't",
        "did",
        "didn't",
        "do",
        "does",
        "doesn't",
        "doing",
        "don't",
        "down",
        "during",
        "each",
        "either",
        "else",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "isn't",
        "it",
        "it's",
        "its",
        "itself",
        "just",
        "let's",
        "like",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "ought",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "per",
        "same",
        "shall",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "that's",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "was",
        "wasn't",
        "we",
        "were",
        "what",
        "what's",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
    ]
)

# Words clinicians use to *ask* a question. They are never taken as a sign that the question
# is about something the corpus lacks (a refusal needs a drug, condition, name or number).
# Generic vocabulary only; no medical claims.
QUESTION_WORDS = frozenset(
    [
        "tell",
        "know",
        "explain",
        "describe",
        "say",
        "says",
        "said",
        "think",
        "thing",
        "things",
        "anything",
        "something",
        "someone",
        "anyone",
        "people",
        "person",
        "way",
        "ways",
        "use",
        "used",
        "using",
        "get",
        "gets",
        "got",
        "make",
        "makes",
        "take",
        "takes",
        "taking",
        "taken",
        "give",
        "given",
        "giving",
        "go",
        "going",
        "want",
        "need",
        "needs",
        "needed",
        "help",
        "please",
        "thanks",
        "thank",
        "does",
        "doctor",
        "doctors",
        "clinician",
        "clinicians",
        "patient",
        "patients",
        "provider",
        "providers",
        "question",
        "questions",
        "answer",
        "answers",
        "information",
        "info",
        "article",
        "articles",
        "source",
        "sources",
        "mention",
        "mentions",
        "mentioned",
        "report",
        "reports",
        "reported",
        "claim",
        "claims",
        "claimed",
        "suggest",
        "suggests",
        "evidence",
        "data",
        "study",
        "studies",
        "research",
        "recommend",
        "recommended",
        "recommendation",
        "recommendations",
        "typical",
        "typically",
        "usual",
        "usually",
        "common",
        "commonly",
        "generally",
        "general",
        "often",
        "safe",
        "safety",
        "risk",
        "risks",
        "effect",
        "effects",
        "side",
        "issue",
        "issues",
        "problem",
        "problems",
        "dose",
        "doses",
        "dosing",
        "dosage",
        "dosages",
        "amount",
        "much",
        "many",
        "drug",
        "drugs",
        "medication",
        "medications",
        "medicine",
        "medicines",
        "treatment",
        "treatments",
        "therapy",
        "therapies",
        "contraindicated",
        "contraindication",
        "contraindications",
        "indication",
        "indications",
        "indicated",
        "efficacy",
        "effective",
        "effectiveness",
        "mechanism",
        "mechanisms",
        "interaction",
        "interactions",
        "interact",
        "adverse",
        "reaction",
        "reactions",
        "prescribe",
        "prescribing",
        "prescribed",
        "titrate",
        "titration",
        "start",
        "starting",
        "stop",
        "stopping",
        "begin",
        "beginning",
        "regimen",
        "regimens",
        "protocol",
        "protocols",
        "schedule",
        "schedules",
        "prescription",
        "prescriptions",
        "oversight",
        "outcome",
        "outcomes",
        "onset",
        "tolerability",
        "tolerated",
        "benefit",
        "benefits",
        "harm",
        "harms",
        "option",
        "options",
        "approach",
        "approaches",
    ]
)
# Words for the sides of a choice or an argument ("What are the drawbacks of ...?", "the
# counterpoint to ..."): like "benefits" and "risks" above, they say what kind of answer is
# wanted and name nothing the sources would have to mention. Plain English, no medicine.
QUESTION_WORDS |= frozenset(
    f"{w}{ending}"
    for w in (
        "advantage",
        "disadvantage",
        "upside",
        "downside",
        "drawback",
        "shortcoming",
        "pitfall",
        "caveat",
        "limitation",
        "tradeoff",
        "trade-off",
        "counterpoint",
        "counterargument",
        "counter-argument",
        "rebuttal",
        "objection",
        "criticism",
        "critique",
    )
    for ending in ("", "s")
) | {"pros", "cons"}


# How alike (difflib ratio) a misspelt word and the corpus word it stands for must be.
SPELLING_RATIO = 0.9

# Units of measure: a dose "in mg/kg" or "in mcg" is not answered by a range in mg when the
# corpus never uses the unit.
UNITS = frozenset(["kg", "mcg", "µg", "ug", "ml", "iu", "mmol", "ng", "units"])

# Groups of patients an answer may not carry over to: when the corpus never names the
# group, a general statement (a dose range) is not an answer for it. Plain vocabulary.
PATIENT_GROUPS = frozenset(
    [
        "child",
        "children",
        "kid",
        "kids",
        "pediatric",
        "paediatric",
        "infant",
        "infants",
        "baby",
        "babies",
        "newborn",
        "newborns",
        "neonate",
        "neonates",
        "toddler",
        "toddlers",
        "adolescent",
        "adolescents",
        "teen",
        "teens",
        "teenager",
        "teenagers",
        "teenage",
        "teenaged",
        "preteen",
        "preteens",
        "elderly",
        "geriatric",
        "seniors",
        "dog",
        "dogs",
        "cat",
        "cats",
        "pet",
        "pets",
        "animal",
        "animals",
        "veterinary",
    ]
)


# Shorthand of clinical notes, spelled out before a question is searched or checked ("pt
# 3 wks on LDN"): plain abbreviations of English words, not claims about any drug.
SHORTHAND = {
    "pt": "patient",
    "pts": "patients",
    "ppl": "people",
    "dz": "disease",
    "dx": "diagnosis",
    "tx": "treatment",
    "hx": "history",
    "sx": "symptoms",
    "rx": "prescription",
    "abx": "antibiotics",
    "meds": "medications",
    "wk": "week",
    "wks": "weeks",
    "mos": "months",
    "yr": "year",
    "yrs": "years",
    "hr": "hour",
    "hrs": "hours",
    "w/": "with",
    "w/o": "without",
    "b/c": "because",
    "f/u": "follow-up",
    "ses": "side effects",
    "w": "with",
    # contractions typed without the apostrophe
    "shes": "she's",
    "hes": "he's",
    "doesnt": "doesn't",
    "dont": "don't",
    "didnt": "didn't",
    "isnt": "isn't",
    "cant": "can't",
    "wouldnt": "wouldn't",
    "shouldnt": "shouldn't",
    "couldnt": "couldn't",
    "whats": "what's",
    "thats": "that's",
}
# Modal verbs cut short, spelled out only before who or what would/should/could ("wd you",
# "cld LDN"): elsewhere "wd" may be withdrawal ("precipitated wd") and "cld" chronic liver
# disease ("pt w cld").
MODAL_SHORTHAND = {"wd": "would", "shd": "should", "shld": "should", "cld": "could"}
_MODAL = re.compile(
    r"(?<![\w/])(" + "|".join(MODAL_SHORTHAND) + r")(?=\s+(?:you|u|i|we|they|he|she|it|this"
    r"|that|ldn|naltrexone|someone|anyone|pts?|patients?|be|have|help|work|need"
    r"|try|use|start|stop|take|do|go|get|make)\b)",
    re.I,
)
# Prescription abbreviations mean the same in capitals ("BID", "QHS").
DOSING_SHORTHAND = {
    "qhs": "at bedtime",
    "qam": "every morning",
    "qpm": "every evening",
    "qd": "once daily",
    "bid": "twice daily",
    "tid": "three times daily",
    "prn": "as needed",
}
_SHORTHAND = re.compile(
    r"(?<![\w/])("
    + "|".join(
        re.escape(k) for k in sorted({**SHORTHAND, **DOSING_SHORTHAND}, key=len, reverse=True)
    )
    + r")(?![\w/])",
    re.I,
)
# "an AM or a PM dose", "at 9 PM": times of day, in capitals or with periods ("am" is a verb),
# after an article, "or", "at" or a clock time, or before "dose": "Does LDN help PM?" may
# mean polymyositis, and "I AM ON LDN" is shouting.
_TIME_OF_DAY = re.compile(
    r"(?:(?<=\d)|(?<=\d )|(?<=\ban )|(?<=\ba )|(?<=\bthe )|(?<=\bor )|(?<=\bat )|(?<=\bin the ))"
    r"(?:(AM|a\.m\.)|(PM|p\.m\.))(?![\w])"
    r"|(?<![\w.])(?:(AM)|(PM))(?= (?:dose|doses|dosing)\b)"
)


def expand_shorthand(text: str) -> str:
    """`text` with clinical shorthand ("pt", "Wks", "w/", "qhs", "AM") spelled out. A word
    in capitals is left alone ("PT" may be a test or a therapy), except prescription
    abbreviations ("BID") and AM/PM."""

    def spell(m: re.Match[str]) -> str:
        word = m.group(1).lower()
        if word in DOSING_SHORTHAND:
            return DOSING_SHORTHAND[word]
        return m.group(1) if m.group(1).isupper() else SHORTHAND[word]

    text = _TIME_OF_DAY.sub(lambda m: "morning" if m.group(1) or m.group(3) else "evening", text)
    text = _MODAL.sub(lambda m: MODAL_SHORTHAND[m.group(1).lower()], text)
    return _SHORTHAND.sub(spell, text)


def document_frequencies(token_lists: Iterable[Iterable[str]]) -> Counter[str]:
    """In how many of the documents (token lists) each token occurs."""
    return Counter(t for tokens in token_lists for t in set(tokens))


# An everyday English word: at least this often in English text (Zipf scale).
COMMON_ZIPF = 4.0


def is_common(word: str) -> bool:
    """`word` is everyday English ("dose", "low"), not a name."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") >= COMMON_ZIPF


def words(text: str) -> list[str]:
    """Lower-cased word and number tokens (hyphenated words and decimals kept whole)."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def is_number(token: str) -> bool:
    return bool(_NUMBER.match(token))


@lru_cache(maxsize=1)
def _stemmer() -> object:
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return str(_stemmer().stemWord(word))  # type: ignore[attr-defined]


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and (len(w) > 1 or is_number(w))]


def bm25_tokens(text: str) -> list[str]:
    """Stemmed content tokens; hyphenated words also contribute their parts."""
    out: list[str] = []
    for w in content_words(text):
        out.append(stem(w))
        if "-" in w:
            out.extend(stem(p) for p in w.split("-") if len(p) > 1 and p not in STOPWORDS)
    return out


# Below this Zipf frequency, an abbreviation written in lower case ("ssri", "mtx") is not
# an English word and means the same as in capitals; "ms", "ra", "gi", "cam" are words.
FOLD_MAX_ZIPF = 3.2


def folds(term: str) -> bool:
    """An abbreviation in capitals that also matches in lower case (see `FOLD_MAX_ZIPF`)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(term.lower(), "en") < FOLD_MAX_ZIPF


class Synonyms:
    """Curated groups of equivalent terms (abbreviations, spellings) from a YAML file.

    File format: a list of lists, e.g. `- [LDN, low-dose naltrexone, low dose naltrexone]`.
    An all-capitals member (MS) only matches in capitals, so "ms" stays a unit, unless its
    lower-case form is not an English word ("ssri", see `folds`).
    """

    def __init__(self, groups: Iterable[Iterable[str]] = ()):
        self.groups = [sorted({str(t).strip() for t in g if str(t).strip()}) for g in groups]
        self._patterns: list[list[re.Pattern[str]]] = [
            [self._pattern(t) for t in group] for group in self.groups
        ]

    @staticmethod
    def _pattern(term: str) -> re.Pattern[str]:
        flags = 0 if term.isupper() and not folds(term) else re.IGNORECASE
        return re.compile(r"(?<![\w-])" + re.escape(term) + r"(?![\w-])", flags)

    @classmethod
    def load(cls, path: Path) -> Synonyms:
        if not path.is_file():
            return cls()
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(data, list) or not all(isinstance(g, list) for g in data):
            raise ValueError(f"{path}: expected a YAML list of lists of terms")
        return cls(data)

    @staticmethod
    def _common(patterns: list[re.Pattern[str]], texts: list[str], max_share: float) -> bool:
        """The group is found in more than `max_share` of `texts`."""
        hits = sum(1 for t in texts if any(p.search(t) for p in patterns))
        return bool(texts) and hits / len(texts) > max_share

    def drop_common(self, texts: list[str], max_share: float) -> Synonyms:
        """Without the groups found in more than `max_share` of `texts`: expanding the
        corpus's own subject ("LDN" in nearly every passage) only adds noise to a query."""
        pairs = zip(self.groups, self._patterns)
        return Synonyms(g for g, ps in pairs if not self._common(ps, texts, max_share))

    def common_words(self, texts: list[str], max_share: float) -> set[str]:
        """The words of the groups found in more than `max_share` of `texts` (the corpus's
        subject: "ldn", "naltrexone", ...)."""
        return {
            w
            for group, patterns in zip(self.groups, self._patterns)
            if self._common(patterns, texts, max_share)
            for term in group
            for w in words(term)
        }

    def common_forms(self, texts: list[str], max_share: float) -> Callable[[str], str]:
        """A rewrite of any member of a group found in more than `max_share` of `texts`
        into the member the texts use most: "low dose naltrexone" -> "LDN". A question that
        spells out the corpus's subject is then searched like one that abbreviates it,
        instead of leaning towards passages that repeat "naltrexone"."""
        rules: list[tuple[list[re.Pattern[str]], str]] = []
        for group, patterns in zip(self.groups, self._patterns):
            if not self._common(patterns, texts, max_share):
                continue
            counts = [sum(len(p.findall(t)) for t in texts) for p in patterns]
            best = max(range(len(group)), key=lambda i: counts[i])
            rules.append(([p for i, p in enumerate(patterns) if i != best], group[best]))

        def rewrite(text: str) -> str:
            for patterns, canonical in rules:
                for p in patterns:
                    text = p.sub(canonical, text)
            return text

        return rewrite

    def expansions(self, text: str) -> list[str]:
        """Group members not in `text`, for every group that `text` mentions."""
        extra: list[str] = []
        for group, patterns in zip(self.groups, self._patterns):
            if any(p.search(text) for p in patterns):
                extra.extend(t for t, p in zip(group, patterns) if not p.search(text))
        return extra

    def expand(self, text: str) -> str:
        extra = self.expansions(text)
        return f"{text} ({'; '.join(extra)})" if extra else text


class Abbreviations:
    """Clinical abbreviations and their meanings, from a YAML mapping
    (`PD: [Parkinson's disease]`). A key with capitals matches only as written, unless its
    lower-case form is not an English word ("mtx", see `folds`); a lower-case key ("levo")
    in any case."""

    def __init__(self, table: dict[str, list[str]] | None = None):
        self.table = {
            str(k).strip(): [str(m).strip() for m in v if str(m).strip()]
            for k, v in (table or {}).items()
            if str(k).strip()
        }
        keys = sorted(self.table, key=len, reverse=True)
        exact = [re.escape(k) for k in keys if k != k.lower() and not folds(k)]
        folded = [re.escape(k) for k in keys if k == k.lower() or folds(k)]
        parts = []
        if exact:  # and their plurals: "AEs"
            parts.append("(?-i:(?:" + "|".join(exact) + ")s?)")
        if folded:
            parts.append("|".join(folded))
        self._pattern = (
            re.compile(r"(?<![\w/-])(?:" + "|".join(parts) + r")(?![\w/-])", re.I)
            if parts
            else None
        )

    @classmethod
    def load(cls, path: Path) -> Abbreviations:
        if not path.is_file():
            return cls()
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict) or not all(
            isinstance(v, list) and v for v in data.values()
        ):
            raise ValueError(f"{path}: expected a YAML mapping of abbreviation: [meanings]")
        return cls(data)

    def _key(self, found: str) -> str:
        """The table key of an abbreviation as written ("mtx" -> "MTX")."""
        if found in self.table:
            return found
        return next((k for k in self.table if k.lower() == found.lower()), found)

    def resolve(self, text: str, mentions: Callable[[str], bool]) -> tuple[str, dict[str, str]]:
        """`text` with each abbreviation read as its first meaning that passes `mentions`
        (the corpus speaks of it), and {abbreviation as written: meaning}. One whose meanings
        the corpus never mentions stays as written."""
        if self._pattern is None:
            return text, {}
        read: dict[str, str] = {}

        def replace(m: re.Match[str]) -> str:
            found = m.group(0)
            plural = found.endswith("s") and self._key(found) not in self.table
            meanings = self.table.get(self._key(found[:-1] if plural else found), [])
            meaning = next((x for x in meanings if mentions(x)), None)
            if meaning is None:
                return found
            read[found] = meaning + "s" if plural and not meaning.endswith("s") else meaning
            return read[found]

        return self._pattern.sub(replace, text), read


# "Is LDN safe after a stroke?", "ok in long covid?": what a safety question restricts LDN to.
_SAFETY_SLOT = re.compile(
    r"\b(?:safe|safely|ok|okay|fine|contraindicated|risky|dangerous|caution)\b"
    r"(?:\s+\w+){0,3}?\s+(?:in|for|with|after|during|alongside)\s+(?P<slot>[^?.,;:!]{1,60})",
    re.I,
)


# "Is hair loss a known side effect?", "Can LDN cause tremor?", "side effects like rashes":
# the effect a question asks about, which the sources must name for an answer to apply to it.
_EFFECT_SLOT = re.compile(
    r"\b(?:is|are|was|were|be|being)\s+(?P<before>[^?.,;:!]{1,60}?)\s+(?:(?:an?|the)\s+)?"
    r"(?:[\w'-]+\s+)?"  # "known", "real", "well-documented"
    r"(?:side[- ]?effects?|adverse (?:effects?|events?|reactions?)|AEs?|risks?|complications?)\b"
    r"|\b(?:cause|causes|causing|caused|trigger|triggers|triggering|triggered|induce|induces"
    r"|inducing|induced|lead to|leads to|leading to|bring on|brings on|bringing on"
    r"|result in|results in)\s+(?P<after>[^?.,;:!]{1,60})"
    r"|\b(?:side[- ]?effects?|adverse effects?|AEs?)\s+(?:like|such as|including)\s+"
    r"(?P<listed>[^?.,;:!]{1,60})"
    r"|\b(?:reported|reports?|reporting|experienced|experiences?|experiencing|developed"
    r"|develops?|developing|noticed|c/o|complain(?:s|ed|ing)? of)\s+(?P<seen>[^?.,;:!]{1,60}?)"
    r"\s+(?:on|from|with|after|since|while(?: on| taking)?)\s+(?:starting\s+)?"
    r"(?:ldn|it|naltrexone|low[- ]dose naltrexone)\b"
    r"|\b(?:link|links|association|connection|relationship)\s+between\s+(?:ldn|naltrexone"
    r"|low[- ]dose naltrexone|it)\s+and\s+(?P<linked>[^?.,;:!]{1,60})",
    re.I,
)
# Where the effect ends and what it applies to begins: "cause insomnia | in the elderly".
_EFFECT_END = re.compile(
    r"\s(?:in|for|with|when|while|after|before|during|at|on|if|because|since|from|about"
    r"|and then|than|as|to|so|like|that|which|who|i|we|you|she|he|they)\s.*$",
    re.I,
)


# A dose missed, forgotten, skipped or late ("pt forgot last night's LDN", "misses a dose", "a
# dose of LDN is skipped", "a late dose"): what to do then is answered only by sources that
# speak of missing a dose.
_MISSED_DOSE = re.compile(
    r"\b(?:miss(?:ed|es|ing)?|forg[eo]t(?:s|ten)?|forgetting|skip(?:s|ped|ping)?)\s+"
    r"(?:to take\s+)?(?:(?:a|an|the|her|his|their|my|your|our|one|two|three|\d+|last|this"
    r"|that|single|couple|of|few|several|consecutive|night's|tonight's|morning's|evening's"
    r"|yesterday's|today's|bedtime)\s+){0,4}"
    r"(?:dose|doses|dosing|pill|pills|tablet|tablets|capsule|capsules|ldn|naltrexone"
    r"|medication|medications|meds|night|nights|day|days)\b"
    r"|\b(?:dose|doses|ldn|naltrexone)\s+(?:of\s+(?:ldn|naltrexone)\s+)?(?:is|was|were|gets"
    r"|got|has been|have been)\s+(?:missed|skipped|forgotten)\b"
    r"|\blate\s+(?:ldn\s+|evening\s+|bedtime\s+|night\s+)?dose\b",
    re.I,
)
_MISSED_DOSE_WORDS = ("missed", "forgotten", "skipped")


# How long or how LDN is used, not a condition: "safe for long-term use", "for years".
_USE_WORDS = frozenset(
    [
        "long-term",
        "long",
        "short-term",
        "term",
        "run",
        "use",
        "usage",
        "time",
        "times",
        "period",
        "while",
        "life",
        "lifetime",
        "ongoing",
        "continuous",
        "daily",
        "everyday",
        "forever",
        "indefinitely",
    ]
)
# A dose or a range of doses in milligrams: "4.5 mg", "1.5 to 4.5 milligrams", "2.5mg".
_DOSE = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)(?:\s?(?:mg|milligrams?))?\s?(?:-|–|to)\s?(\d+(?:\.\d+)?)\s?"
    r"(?:mg|milligrams?)\b|(?<![\w.])(\d+(?:\.\d+)?)\s?(?:mg|milligrams?)\b",
    re.I,
)
# Units of time ("weeks"), for "how long" answers and for what is not a condition.
DURATION_UNITS = r"(?:second|minute|hour|day|week|month|year|decade)s?"
_DURATION = re.compile(DURATION_UNITS)


class Vocabulary:
    """The corpus's words, to tell which question terms the corpus never mentions."""

    def __init__(self, texts: Iterable[str], synonyms: Synonyms):
        self.words: set[str] = set()
        self._stemmed: list[str] = []  # each text as its stems, space-separated
        # Doses the texts give ("2.5mg", "50 mg") and ranges of doses ("1.5 to 4.5 mg").
        self.doses: set[float] = set()
        self.dose_ranges: set[tuple[float, float]] = set()
        for text in texts:
            for m in _DOSE.finditer(text):
                low, high, single = m.groups()
                if single:
                    self.doses.add(float(single))
                else:
                    self.dose_ranges.add((float(low), float(high)))
            tokens = words(text)
            self.words.update(tokens)
            # The parts of a compound name what the corpus speaks of too: "flare-ups" a flare.
            self.words.update(p for w in tokens if "-" in w for p in w.split("-") if len(p) > 2)
            self._stemmed.append(" " + " ".join(stem(w) for w in tokens) + " ")
        for group in synonyms.groups:
            if any(set(words(term)) <= self.words for term in group):
                for term in group:
                    self.words.update(words(term))
        self.stems = {stem(w) for w in self.words}
        self.numbers = {w for w in self.words if is_number(w)}
        # Numbers inside tokens such as "2.5mg" or "4-6".
        for w in list(self.words):
            self.numbers.update(re.findall(r"\d+(?:\.\d+)?", w))
        self._by_length: dict[int, list[str]] = {}
        self._spelling_pool: list[str] | None = None
        for w in self.words:
            self._by_length.setdefault(len(w), []).append(w)

    def covers(self, word: str) -> bool:
        if is_number(word):
            return word in self.numbers
        if word in self.words or stem(word) in self.stems:
            return True
        if "-" in word and all(self.covers(p) for p in word.split("-") if p):
            return True
        # Spelling slips ("naltrexon"): a close word of similar length counts.
        pool = [w for n in range(len(word) - 2, len(word) + 3) for w in self._by_length.get(n, [])]
        return bool(difflib.get_close_matches(word, pool, n=1, cutoff=0.84))

    def unmentioned_conditions(self, question: str) -> list[str]:
        """Nouns the corpus never uses in what a safety question restricts LDN to ("Is LDN
        safe after a stroke?" -> ["stroke"]), however common in English: whether LDN is safe
        in a condition is not answered by what the sources say of LDN's safety in general."""
        found: list[str] = []
        for m in _SAFETY_SLOT.finditer(question):
            found.extend(w for w in content_words(m.group("slot")) if self._names_uncovered(w))
        return found

    def _names_uncovered(self, word: str) -> bool:
        """`word`, in what a question restricts LDN to or asks whether it causes, names
        something the corpus never mentions: not a question word, a use or a span of time
        ("long-term", "weeks"), a function word ("she's"), a number, a word the corpus has
        (also with a prefix, or spelled out: "MEDS"), nor one that only describes."""
        return not (
            word in QUESTION_WORDS
            or word in _USE_WORDS
            or (word in SHORTHAND and self.covers(SHORTHAND[word].split(" ")[-1]))  # "MEDS"
            or _DURATION.fullmatch(word)
            or word.split("'")[0] in STOPWORDS  # "she's", "who's"
            or is_number(word)
            or self.covers(word)
            or self.covers_by_affix(word)
            or is_descriptive(word)
        )

    def unmentioned_effects(
        self,
        question: str,
        nearest: Callable[[list[str]], list[float]] | None = None,
        min_similarity: float = 1.0,
    ) -> list[str]:
        """Words the corpus never uses, nor a word close in meaning (`nearest`), in the effect a
        question asks whether LDN has ("Is hair loss a known side effect?" -> ["hair",
        "loss"]), however common in English: that the sources name other side effects does
        not say whether this one is among them."""
        candidates: list[str] = []
        for m in _EFFECT_SLOT.finditer(question):
            slot = _EFFECT_END.sub("", next(g for g in m.groups() if g))
            for w in content_words(slot):
                if w not in candidates and self._names_uncovered(w):
                    candidates.append(w)
        close = _close_in_meaning(candidates, nearest, min_similarity)
        return [w for w in candidates if w not in close]

    def unmentioned_missed_dose(self, question: str) -> list[str]:
        """["a missed or late dose"] when the question is about a dose missed, forgotten,
        skipped or taken late, and the corpus never speaks of missing one."""
        if _MISSED_DOSE.search(question) and not any(map(self.covers, _MISSED_DOSE_WORDS)):
            return ["a missed or late dose"]
        return []

    def covers_dose(self, mg: float) -> bool:
        """The texts give `mg` as a dose, or as part of a range of doses."""
        return mg in self.doses or any(low <= mg <= high for low, high in self.dose_ranges)

    def mentions(self, phrase: str) -> bool:
        """The corpus has `phrase`, word for word (in any inflection): "Parkinson's disease",
        not "generalized anxiety disorder" where only the single words occur."""
        tokens = words(phrase)
        if not tokens:
            return False
        needle = " " + " ".join(stem(w) for w in tokens) + " "
        return any(needle in text for text in self._stemmed)

    def covers_by_affix(self, word: str) -> bool:
        """ "underactive", "re-started": a prefix on a word the corpus has."""
        for prefix in _PREFIXES:
            rest = word[len(prefix) :].lstrip("-")
            if word.startswith(prefix) and len(rest) >= 4 and self.covers(rest):
                return True
        return False

    def correct_spelling(self, text: str) -> str:
        """`text` with misspelt corpus words put right ("naltrexon" -> "naltrexone"): a word
        that English does not know (Zipf frequency 0) and that the corpus lacks is replaced
        by the one corpus word of the same kind at least `SPELLING_RATIO` alike. Drug names
        that differ by more than a letter or two stay as written."""
        from wordfreq import zipf_frequency

        def fix(m: re.Match[str]) -> str:
            word = m.group(0)
            low = word.lower()
            if len(low) < 5 or low in self.words or zipf_frequency(low, "en") > 0:
                return word
            if self._spelling_pool is None:
                self._spelling_pool = sorted(w for w in self.words if w.isalpha() and len(w) >= 5)
            close = difflib.get_close_matches(low, self._spelling_pool, n=2, cutoff=SPELLING_RATIO)
            if len(close) == 1 or (
                len(close) == 2
                and difflib.SequenceMatcher(None, low, close[0]).ratio()
                > difflib.SequenceMatcher(None, low, close[1]).ratio()
            ):
                return close[0]
            return word

        return re.sub(r"[^\W\d_]+", fix, text)

    def uncovered_specific_terms(
        self,
        question: str,
        max_zipf: float,
        nearest: Callable[[list[str]], list[float]] | None = None,
        min_similarity: float = 1.0,
    ) -> list[str]:
        """Question terms the corpus never mentions that name something specific: numbers,
        patient groups ("children"), acronyms, and nouns rare in English (drugs, conditions, brands)
        for which the corpus has no word of close meaning (`nearest(words)`, each word's cosine
        to the closest corpus word, below `min_similarity`). A drug name or an acronym is not
        covered by a word close in meaning ("IBS" is not "IBD"). Verbs, adjectives and common
        words describe rather than name; they are left to retrieval and sentence scoring."""
        from wordfreq import zipf_frequency

        found: list[str] = []  # in question order
        rare: list[str] = []  # those that a corpus word close in meaning may still cover
        # A number given as a dose ("6 mg") is covered only by the same dose: "4-6 hours" and
        # "12 patients" say nothing of 6 or 12 mg.
        dosed = {n for m in _DOSE.finditer(question) for n in m.groups() if n}
        found.extend(n for n in sorted(dosed) if not self.covers_dose(float(n)))
        # A question typed in capitals is shouted, not made of acronyms.
        shouted = sum(c.isupper() for c in question) > 0.6 * sum(c.isalpha() for c in question)
        acronyms = set() if shouted else {w.lower() for w in _ACRONYM.findall(question)}
        for w in content_words(question):
            # An acronym in a compound ("FDA-approved") names what it names on its own.
            parts = w.split("-") if "-" in w else []
            named = [p for p in parts if p in acronyms and not self.covers(p)]
            if named and all(zipf_frequency(p, "en") < _ACRONYM_MAX_ZIPF for p in named):
                found.extend(p for p in named if p not in found)
                continue
            if w in QUESTION_WORDS or w in dosed or self.covers(w):
                continue
            if is_number(w) or w in PATIENT_GROUPS or w in UNITS:
                found.append(w)
            elif (w in acronyms and zipf_frequency(w, "en") < _ACRONYM_MAX_ZIPF) or (
                zipf_frequency(w, "en") < max_zipf
                and not is_descriptive(w)
                and not self.covers_by_affix(w)
            ):
                found.append(w)
                rare.append(w)
        close = _close_in_meaning(rare, nearest, min_similarity) - acronyms
        return [w for w in found if w not in close]


def _close_in_meaning(
    words: list[str], nearest: Callable[[list[str]], list[float]] | None, min_similarity: float
) -> set[str]:
    """Those of `words` with a corpus word at least `min_similarity` close in meaning
    (`nearest`, one call for all of them: each similarity needs the word encoded), but for
    words with a drug name's ending (see `_DRUG_NAME`)."""
    if not words or nearest is None:
        return set()
    return {
        w
        for w, sim in zip(words, nearest(words), strict=True)
        if sim >= min_similarity and not _DRUG_NAME.search(w)
    }


# Endings of international nonproprietary drug names (the WHO/USAN stems: "-done", "-pram",
# "-statin", ...). A drug the corpus never names is not covered by a corpus word close in
# meaning: "methadone" sits near "morphine", but what the sources say about opioids in
# general is not what they say about methadone. Word forms only, no claim about any drug.
_DRUG_NAME = re.compile(
    r"(?:done|phine|phone|azepam|azolam|oxetine|aline|triptyline|pramine|pram|peridol"
    r"|pril|sartan|olol|statin|mab|tinib|cycline|mycin|cillin|floxacin|tidine|dipine|gliptin"
    r"|gliflozin|glitazone|formin|lukast|semide|thiazide|afil|caine|trexate|profen|coxib"
    r"|triptan|barbital|setron|parin|xaban|gatran|nacept|vudine|navir|previr|buvir|tegravir"
    r"|azole|dronate|lamide|tropium|terol|sonide|olone|asone)$"
)

def looks_like_drug_name(word: str) -> bool:
    """`word` ends like an international nonproprietary drug name (see `_DRUG_NAME`)."""
    return bool(_DRUG_NAME.search(word.lower()))


# A number right after a word (with its unit and how often): "sertraline 150",
# "methotrexate 15mg weekly", "oxycodone 20 twice daily".
_DOSE_AFTER = re.compile(
    r"(?<![\w-])(?P<on>(?:on|taking|takes|took|using|uses|started on|also on|prescribed)\s+)?"
    r"(?P<name>[A-Za-z][A-Za-z-]{3,})\s+\d+(?:\.\d+)?\s?"
    r"(?:mg|mcg|µg|micrograms?|milligrams?|g|iu|units?)?(?!\w|\.\d)"
    r"(?:\s+(?:once|twice|three times)? ?(?:daily|weekly|a day|a week|nightly)"
    r"|\s+(?:every|each) (?:day|week|night|morning|evening))?",
    re.I,
)


def without_doses_of(
    text: str,
    is_other_drug: Callable[[str], bool],
    is_taken: Callable[[str], bool] | None = None,
) -> str:
    """`text` without the doses given for drugs `is_other_drug` accepts ("on sertraline 150"
    -> "on sertraline"), or, right after "on", "taking" and the like, for names `is_taken`
    accepts ("on levothyroxine 75 mcg"): what a patient already takes is a detail of the
    patient, not a number the sources would need to state."""

    def drop(m: re.Match[str]) -> str:
        name = m.group("name")
        on = m.group("on") or ""
        if is_other_drug(name) or (on and is_taken is not None and is_taken(name)):
            return on + name
        return m.group(0)

    return _DOSE_AFTER.sub(drop, text)


# How long or how far along, in what the clinician tells: "after 10 days", "at 14 weeks".
_TIME_SPAN = re.compile(
    rf"\b\d+(?:\.\d+)?(?:\s?(?:-|to)\s?\d+(?:\.\d+)?)?\s?-?\s?{DURATION_UNITS}\b", re.I
)


def without_time_spans(text: str) -> str:
    """`text` without spans of time ("frustrated after 10 days", "G2P1 at 14 weeks"): in
    what is told about a patient, how long something has gone on is a detail of the patient,
    not a number the sources would need to state."""
    return _TIME_SPAN.sub(" ", text)


# A short word written in capitals ("FDA", "COVID", "CKD") names an agency, a disease or a
# test, however common it is in English. (Longer ones are more often shouted words.)
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,4}(?:-[A-Z0-9]{1,5})*\b")
# ... unless it is an everyday word in capitals ("OK", "TV").
_ACRONYM_MAX_ZIPF = 5.0

# Prefixes that leave the meaning of the word they modify in place.
_PREFIXES = (
    "under",
    "over",
    "non",
    "hyper",
    "hypo",
    "pre",
    "post",
    "re",
    "un",
    "sub",
    "semi",
    "multi",
    "co",
)


@lru_cache(maxsize=4096)
def is_descriptive(word: str) -> bool:
    """True for a word English uses only as a verb, adjective or adverb ("dampen",
    "steadying", "bunged"): it describes, it does not name a drug, condition or product."""
    from lemminflect import getAllLemmas

    readings = getAllLemmas(word)
    return bool(readings) and not ({"NOUN", "PROPN"} & set(readings))


_OTHER_LANGUAGES = ("es", "fr", "de", "it", "pt", "nl")


def looks_non_english(text: str) -> bool:
    """True when most words read as another language (or another script) than English."""
    from wordfreq import zipf_frequency

    letters = [c for c in text if c.isalpha()]
    if letters and sum(1 for c in letters if ord(c) > 0x24F) / len(letters) > 0.5:
        return True  # mostly non-Latin script
    tokens = [w for w in words(text) if not is_number(w) and len(w) > 1]
    if len(tokens) < 3:
        return False
    foreign = 0
    for w in tokens:
        en = zipf_frequency(w, "en")
        other = max(zipf_frequency(w, lang) for lang in _OTHER_LANGUAGES)
        if other > en + 1.0:
            foreign += 1
    return foreign / len(tokens) > 0.5
