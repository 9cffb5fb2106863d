"""Safety checks that run before and independently of retrieval.

Patterns are about what the *question* signals (an emergency, a request for one patient's
dose); they make no claim about any drug.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

# What a person may swallow too much of.
_MEDS = r"(?:pills|tablets|capsules|meds|medications?)"
_MEDS_OR_BOTTLE = (
    r"(?:pills|tablets|capsules|caps|meds|medications?|medicines?|bottle"
    r"|pill ?(?:organi[sz]er|box|case|bottle)|medicine (?:cabinet|cupboard))"
)

_EMERGENCY_PATTERNS = [
    # overdose, too many pills
    r"\bover[- ]?dos(?:e|ed|ing)\b",
    r"\b(?:took|taken|take|swallowed|swallow|ate|eaten)\b.{0,40}"
    r"\b(?:too many|too much|whole (?:bottle|pack|box)|handful of)\b(?! (?:side effects|patients))",
    r"\b(?:had|has|have)\b.{0,20}\b(?:too many|too much|a handful of)"
    r" (?:of )?(?:\w+ )?(?:pills|tablets|capsules|caps|meds|medications|doses)\b",
    # "took all 30 of her caps", "took all my other pills"; not "all her pills this morning
    # as usual"
    r"\b(?:took|taken|swallowed|ate|eaten|downed)\b.{0,40}"
    r"\ball (?:\d+ |[a-z]+ )?(?:of )?(?:my|her|his|their|the) (?:\w+ ){0,2}?"
    r"(?:pills|tablets|capsules|caps|meds|medications)\b"
    r"(?!.{0,30}\b(?:as usual|as prescribed|as normal|like (?:always|usual|normal)"
    r"|every (?:day|morning|night|evening)|each (?:day|morning|night)|this morning|today as))",
    # the object itself, not "took LDN for a whole month"
    r"\b(?:took|taken|swallowed|ate|downed) (?:(?:his|her|my|their|the|a|an|all) )?(?:(?:whole"
    r"|entire) )?(?:month|week)['’]?s?(?: worth)? (?:supply|of (?:pills|tablets|capsules|caps"
    r"|meds|ldn|naltrexone|it))",
    r"\b(?:took|taken|swallowed|ate|downed) (?:(?:his|her|my|their|the|a|an) )?(?:whole|entire)"
    r" (?:month|week|prescription|script|supply)\b",
    r"\bover[- ]?does on\b|\bod['’]d\b",
    r"\b(?:drank|drunk|swallowed|ingested|drinking|ate)\b.{0,20}\b(?:bleach|antifreeze"
    r"|drain cleaner|detergent|pesticide|weed ?killer|rat poison|lye)\b",
    # swallowed, not "had the entire supply compounded" or "take a bunch of other meds"
    r"\b(?:took|swallowed|ate|downed)\b.{0,30}\b(?:(?:entire|whole) (?:bottle|pack|box|supply)"
    r"|(?:a )?bunch of (?:\w+ )?(?:pills|tablets|capsules|meds|medications))\b",
    r"\b(?:too many|handful of|whole bottle of)\s*(?:pills|tablets|capsules)\b",
    # "accidentally took her LDN in the morning" is a timing slip, not an overdose
    r"\baccidental(?:ly)? (?:ingest|swallow)"
    r"|\baccidental(?:ly)? (?:took|taken) (?:too many|too much|all|a bunch|several|extra"
    r"|someone else['’]?s|the whole|a whole|double)",
    # "OD" for an overdose; "LDN 4.5 mg OD" (once daily) is not one
    # ("odd dreams" is not: OD in capitals only)
    r"\b(?-i:OD)(?:['’]d|['’]ed|ed|['’]ing|ing)\b"
    r"|\b(?:an|did|tried to|planning to|going to|wants? to) (?-i:OD)\b"
    r"(?! ?(?:dos\w*|daily|regimen|schedule|or\b|vs\b|versus))",
    r"\b(?:took|taken|swallowed|ingested|ate)\b.{0,15}\b(?:\d{2,}|ten|eleven|twelve|fifteen"
    r"|twenty|thirty|forty|fifty|sixty|a dozen|dozens)\b"
    r"(?!\s*(?:mg|milligrams?|mcg|ml|%|kg|years?|days?|weeks?|months?))"
    r".{0,25}\b(?:pills|tablets|tabs|capsules|caps|doses)\b(?! (?:a|per|every|each) (?:day|week))",
    # a child who got into or swallowed pills ("ate a meal before her LDN dose" is not that)
    r"\b(?:child|children|kids?|toddlers?|baby|babies|infant|son|daughter|grandchild(?:ren)?"
    r"|grandson|grandd?aughter|grandkids?|nephew|niece|dog|cat"
    r"|(?:[1-9]|1[0-2])[- ]?(?:years?|yrs?)[- ]old|(?:[1-9]|1[0-2]) ?(?:yo|y/o|y\.o\.)"
    r"|\d{1,2}[- ]?months?[- ]old)(?!\w)"
    r".{0,60}\b(?:swallowed|ingested|ate|eaten|drank|drunk|got into|got hold of|chewed)\s+"
    r"(?:(?!before|after|with|while|during|a meal|lunch|dinner|breakfast)\S+\s+){0,6}?"
    r"(?:pills?|tablets?|tabs|capsules?|caps|meds|medications?|medicines?|bottle|ldn"
    r"|naltrexone|pill ?(?:organi[sz]er|box|case))\b",
    r"\b(?:child|kids?|toddlers?|baby|infant|son|daughter|grandchild|grandson|grandd?aughter"
    r"|grandkids?|nephew|niece)\b.{0,60}\b(?:ate|swallowed|drank|chewed) (?:some|a few|two"
    r"|several|a couple)\b(?! (?:food|breakfast|lunch|dinner|water|juice|milk))",
    r"\bgot into (?!trouble|the habit|a habit)(?:\S+ ){0,2}" + _MEDS_OR_BOTTLE + r"\b",
    # on purpose
    r"\b(?:took|taken|swallowed)\b.{0,40}\b(?:pills|tablets|capsules|caps|tabs|meds"
    r"|medications|\d{2,}|lot|bottle|all)\b.{0,20}\b(?:on purpose|intentional(?:ly)?"
    r"|deliberately)\b|\bintentional (?:(?-i:OD)|overdose)\b",
    r"\b(?:gonna|going to|want to|wants to|plan(?:ning)? to|about to|will) (?:take|swallow|down)"
    r" (?:the lot|everything (?:in|from) the (?:cupboard|cabinet|drawer|bathroom))\b",
    # poisoning
    r"(?<!food )\bpoison(?:ed|ing)?\b(?! (?:ivy|oak|sumac|control|cent(?:re|er)s?"
    r"|information|helpline|line)\b)",
    r"\b(?:(?-i:CO)|carbon monoxide) (?:alarm|detector)\b",
    # suicide and self-harm
    r"\bsuicid\w*",
    r"\b(?:kill|hurt|harm)(?:s|ed|ing)? (?:my|him|her|them|your)sel(?:f|ves)\b",
    r"\bself[- ]harm\w*",
    r"\b(?:want|wants|wanting|plan|planning) to die\b",
    r"\b(?:end|ending|take|taking) (?:my|his|her|their|your) (?:own )?li(?:fe|ves)\b",
    r"\b(?:does ?n[o']?t|do ?n[o']?t|doesn’t|don’t|no longer) want(?:s)? to"
    r" (?:be alive|live|go on|wake up)\b(?! with)",
    r"\b(?:better off dead|no reason to live|no point (?:in )?(?:living|going on)"
    r"|(?:not|isn'?t|isn’t) worth living"
    r"|end(?:ing)? it all)\b",
    r"\b(?:goodbye|suicide) (?:note|letter)\b",
    r"\bend(?:ing)? (?:it|things) (?:tonight|today|now)\b",
    r"\b(?:stockpil|hoard)\w*\b.{0,40}\b" + _MEDS + r"\b",
    r"\b" + _MEDS + r"\b.{0,40}\b(?:stockpil|hoard)\w*",
    r"\bsav(?:ing|ed|es) (?:up )?(?:all (?:of )?)?(?:her|his|my|their) " + _MEDS + r"\b",
    r"\b(?:plan\w*|going|intend\w*|wants?|decided|about) to (?:take|swallow) "
    r"(?:them all|all of them)\b",
    r"(?:\bnever|\bnot|n['’]t) (?:ha(?:ve|s) to |wants? to |needs? to |ever )?wake up again\b"
    r"(?! (?:during|in|at|until|before|after|when|feeling)\b)",
    r"\bhang(?:s|ed|ing)? (?:my|him|her|them)sel(?:f|ves)\b",
    r"\b(?:thinking|thinks|thought|thoughts|talking|talks|talked) (?:about|of)"
    r" (?:ending it|ending (?:his|her|my|their) life|killing|dying|not being (?:here|around))\b",
    r"\b(?:can'?t|cannot|can’t|couldn'?t|couldn’t) go on(?: (?:any ?more|like this|living))?"
    r"\s*(?:[.,;!?]|$|and\b)",
    r"\bsleep and (?:not|never) wake up\b",
    r"\b(?:does ?n[o']?t|do ?n[o']?t|doesn’t|don’t|no longer) want(?:s)? to be (?:here|around)\b"
    r"(?! (?:for|at|in|on|when|during)\b)",
    r"\bgiv(?:ing|en|es|e) (?:away )?(?:all )?(?:of )?(?:his|her|my|their) (?:\w+ )?(?:things"
    r"|stuff|belongings|possessions)(?: away)?\b.{0,40}\b(?:goodbye|good-bye)"
    r"|\bsaying goodbye to everyone\b",
    r"\bthinking (?:about|of) (?:taking|swallowing) (?:all|them all|a bunch|the whole)\b",
    r"\b(?:endors\w*|reports?|reporting|active|passive|having|has|with|c/o) (?-i:SI)\b"
    r"(?! joint)",
    r"\bbetter off without (?:me|her|him|them)\b",
    r"\b(?:nobody|no one|no-one) (?:would|will|is going to) (?:miss|care about) (?:me|her|him)\b",
    r"\b(?:don'?t|doesn'?t|do not|does not|don’t|doesn’t) see the point (?:of|in) (?:carrying on"
    r"|going on|living|being here)\b",
    r"\bwish(?:es|ed)? (?:i|she|he|they) (?:was|were) dead\b|\b(?:rather|better) be dead\b"
    r"|\bwants? to be dead\b|\bunaliv\w*",
    r"(?-i:\bSI\b).{0,20}\bplan\b",
    # severe allergic reaction
    r"\banaphyla\w*",
    r"\b(?:throat|tongue|lips?|face|mouth|airway)\b.{0,30}\b(?:swell\w*|swollen|closing|tight\w*"
    r"|puffy|puffed up)",
    r"\bhives\b.{0,40}\b(?:breath\w*|swallow\w*|wheez\w*|throat|lips?|tongue|dizzy|faint\w*)",
    r"\b(?:use|used|using|gave|give|needed) (?:his|her|my|their|an?|the) epi-?pens?\b",
    r"\bsevere allergic\b",
    r"\ballergic reaction\b.{0,40}\b(?:breath|swell|throat|hives)",
    # chest pain, breathing
    r"\bchest (?:pains?|tightness|pressure)\b(?! (?:is|a) (?:a )?(?:known |common |listed )?side)",
    r"\bchest (?:is|feels|feeling|gets|got) (?:\w+ )?(?:tight|heavy|crushing|painful)\b"
    r"|\btight chest\b|\belephant (?:is )?(?:sitting |standing )?on (?:his|her|my|their) chest",
    r"\bpain (?:going |radiating |shooting |spreading )?(?:down|into|to) (?:his|her|my|their|the)"
    r" left arm\b|\bleft arm\b.{0,30}\bsweat\w*",
    r"\bbreathing\b.{0,25}\b(?:shallow|slow|laboured|labored)\b|\bshallow breath\w*",
    r"\b(?:resp(?:iratory|\.)? ?rate|(?-i:RR))\s*(?:of |is |was )?[0-8](?![.\d])"
    r"|\bpinpoint pupils\b",
    r"\b(?:trouble|difficulty|difficult|hard|can'?t|cannot|unable to|struggling to|not)"
    r" (?:breath(?:e|ing)?)\b",
    r"\bshort(?:ness)? of breath\b(?! (?:on|with|during|when) (?:exertion|exercise|exercising"
    r"|walking|climbing|stairs))",
    r"\bbarely breathing\b|\bgasping\b|\b(?:struggling|fighting) for (?:air|breath)\b"
    r"|\b(?:can'?t|cannot|can’t) get (?:any )?air\b",
    r"\bpain in (?:his|her|my|their|the) chest\b|\bchest (?:hurts|is hurting)\b",
    # stroke signs; clinical shorthand of acute chest pain
    r"\bspeech\b.{0,20}\b(?:garbled|jumbled)\b|\bface (?:looks |is |went )?lopsided\b"
    r"|\b(?:suddenly|sudden|all of a sudden|just)\b.{0,30}\b(?:numb|went dead|can'?t (?:lift"
    r"|move)|cannot (?:lift|move)|can’t (?:lift|move)|cant (?:lift|move))\b",
    r"\bc/o (?:central |crushing )?(?-i:CP)\b"
    r"|\bdiaphoretic\b.{0,40}\b(?:chest|(?-i:CP)|pain|(?-i:SOB)|breath\w*|clammy|pale|gr[ae]y)\b"
    r"|\b(?:chest|(?-i:CP)|pain)\b.{0,40}\bdiaphoretic\b",
    r"(?-i:\bSOB\b)(?! (?:on|with|during|when) (?:exertion|exercise|exercising|walking|stairs))"
    r"(?! (?:a |is a |as a )?(?:known |common |possible |listed |recognised |recognized )?side)",
    r"\bcold and clammy\b|\bnot answering (?:me|us)\b",
    r"\b(?:slurred|slurring) (?:speech|words)\b|\bspeech is slurred\b"
    r"|\bface (?:is )?droop\w*|\bdrooping (?:face|mouth)\b",
    r"\b(?:can'?t|cannot|couldn'?t|can’t|couldn’t) catch (?:his|her|my|their|your) breath\b",
    r"\b(?:is|are|was|started|starting|now|been|become|became|got|gets|getting|and)"
    r" wheez(?:y|ing)\b|\bwheez(?:y|ing) (?:after|since|and|now|badly)\b",
    r"\b(?:lips?|face|skin|fingers?)\b.{0,20}\b(?:turning|turned|going|gone) (?:blue|grey|gray)\b",
    r"\b(?:heart attack|cardiac arrest|having a stroke)\b"
    r"(?! (?:in (?:19|20)\d\d|\d+ (?:years?|months?) ago|years ago|last year))",
    r"\b(?:fainted|fainting)\b(?! once\b| (?:\w+ )?(?:years?|months?) ago| last (?:year|month)"
    r"| in (?:19|20)\d\d)",
    r"(?:\b(?:won'?t|won’t|isn'?t|isn’t|is not|are not|aren'?t|aren’t)|['’]s not|\bs not)"
    r" (?:respond(?:ing)?|waking)\b(?!(?: \w+){0,2} to\b)"
    r"(?! (?:well|after \d|within|in \d|on ldn|to ldn|for \d))",
    r"\bout cold\b|\bwon'?t open (?:his|her|their) eyes\b|\bwon’t open (?:his|her|their) eyes\b",
    r"\b(?:lips?|face|mouth)\b.{0,12}\bblue\b"
    r"|\b(?:he|she)['’]?s (?:turning |going |gone )?blue\b",
    r"\bnot breathing\b|\bstopped breathing\b",
    r"\b(?:unconscious|unresponsive|won'?t wake up|seizing|convulsing|seized"
    r"|(?:having|had|has) (?:a )?convulsions?|passed out)\b",
    r"(?<!with )(?<!of )\bseizures?\b"
    r"(?! (?:threshold|disorder|risk|medications?|meds|history|activity))",
    r"\bcollapsed\b(?! (?:(?:his|her|their|my|the) )?(?:\w+ )?(?:capsules|pills|tablets|caps))",
    r"\b(?:is|'s|’s|are|was|started|keeps?) fitting(?= *(?:now|right now|again|$|[.,;!]"
    r"|and\b))|\b(?:having|had|has) (?:a )?fits?\b",
    # someone who cannot be woken; not grogginess ("hard to wake up in the morning")
    r"\b(?:hard|difficult|impossible|unable) to (?:wake|rouse|arouse)"
    r"(?: (?:him|her|them|up))?\s*(?:[.,;!?]|$|and\b|now\b)",
    r"\b(?:can'?t|cannot|can’t|couldn'?t|couldn’t) (?:wake|rouse) (?:him|her|them)\b",
]
_EMERGENCY = re.compile("|".join(f"(?:{p})" for p in _EMERGENCY_PATTERNS), re.I)

# A dose for one particular person, as opposed to what the sources report about dosing.
_PATIENT_DOSE = re.compile(
    r"(?:\b(?:my|this|our|a|the)"
    r" (?:patient|client|son|daughter|child|wife|husband|mother|father|mom|dad)\b"
    r"|\b(?:he|she|they) (?:is|are|weighs?|has)\b|\b(?:i|we) (?:weigh|am \d|have)\b"
    r"|\b\d+\s?(?:kg|lbs?|pounds|years? old|yo)\b|\bfor me\b"
    r"|\bshould i (?:take|give|prescribe|start|use)\b"
    r"|\bprescri(?:be|ption) for\b|\bwrite (?:a |me a )?prescription\b)",
    re.I,
)
_DOSE_WORDS = re.compile(
    r"\b(?:dose|doses|dosing|dosage|mg|milligrams?|how much|titrat\w*|prescri\w*)\b", re.I
)

_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffd]"
)


# Instructions aimed at the assistant rather than questions about the corpus.
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}"
    r"\b(?:instructions?|rules?|prompts?|above|previous|everything|guidelines?)\b"
    r"|\b(?:drop|remove|omit|skip|hide|delete|leave out|without)\b.{0,30}\bdisclaimers?\b"
    r"|\bdisclaimers?\b.{0,30}\b(?:drop|remove|omit|skip|hide|delete|leave out)\b"
    r"|\byou are now\b|\bsystem prompt\b|\bact as\b|\bpretend (?:to be|you)\b"
    r"|\bdeveloper mode\b|\bjailbreak\b",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]{0,300}>|<!--.*?-->")


def strip_instructions(question: str) -> tuple[str, bool]:
    """The question without markup (`<img ...>` is not part of what is asked), without
    sentences that instruct the assistant and without repeated sentences; and whether any
    instruction was cut."""
    question = " ".join(_MARKUP.sub(" ", question).split())
    parts = _SENTENCE_END.split(question)
    kept = [p for p in parts if not _INSTRUCTION.search(p)]
    instructed = len(kept) != len(parts)
    # A sentence pasted many times over says no more than once; repeats would drown the rest.
    kept = list(dict.fromkeys(kept))
    return " ".join(kept).strip(), instructed


@dataclass(frozen=True)
class CleanQuestion:
    text: str
    notices: list[str] = field(default_factory=list)
    truncated: bool = False


def clean_question(raw: object, max_chars: int) -> CleanQuestion:
    """Text of a question with control characters and binary junk removed, whitespace
    folded and, beyond `max_chars`, truncated (the caller states the truncation)."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    text = "" if raw is None else str(raw)
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", text)
    text = " ".join(text.split())
    truncated = len(text) > max_chars
    if truncated:
        head = text[:max_chars]
        # At a word boundary: a half word ("ques") would read as a term of its own.
        if text[max_chars] != " " and " " in head:
            head = head.rsplit(" ", 1)[0]
        text = head.rstrip()
    return CleanQuestion(text, truncated=truncated)


# A past event told as history ("a history of anaphylaxis to penicillin", "prior seizures")
# is a detail of the patient, not something happening now.
_PAST_EVENT = re.compile(
    r"\b(?:history of|hx of|h/o|prior|previous) (?:\w+ ){0,2}?(?:anaphylaxis"
    r"|anaphylactic \w+|seizures?|heart attacks?|strokes?|overdoses?|suicide attempts?"
    r"|chest pain|allergic reactions?)\b",
    re.I,
)


# ... and so is a symptom asked about as an effect of LDN ("Can LDN cause chest tightness?").
_ASKS_IF_CAUSES = re.compile(
    r"\b(?:can|does|do|could|will|would|might|may) (?:ldn|naltrexone|low[- ]dose naltrexone|it"
    r"|this|the drug) (?:ever |also |sometimes )?(?:cause|give (?:you|people|patients|someone)"
    r"|make (?:you|people|patients|someone)|trigger|lead to|raise the risk of"
    r"|increase the risk of)\b[^.?!;,:–—-]*",
    re.I,
)
# Something happening now: then nothing is set aside as a question about effects.
_NOW = re.compile(
    r"\b(?:right now|now|currently|at the moment|is having|are having|is seizing|can barely"
    r"|can'?t breathe|cannot breathe|can’t breathe|tonight|just)\b|['’]s having\b",
    re.I,
)


def _not_now(question: str) -> str:
    """`question` without past events told as history and, unless something is happening
    now, without symptoms asked about as effects."""
    text = _PAST_EVENT.sub(" ", question)
    return text if _NOW.search(text) else _ASKS_IF_CAUSES.sub(" ", text)


def is_emergency(question: str) -> bool:
    """The question matches one of the emergency patterns (past events told as history and
    symptoms asked about as effects of LDN aside)."""
    return bool(_EMERGENCY.search(_not_now(question)))


# Situations that call for emergency services, in plain words: the list (overdose or
# many pills, poisoning, suicidal thoughts, severe allergic reaction, chest pain, trouble
# breathing) and stroke, seizure, unresponsiveness. A part of a question close in meaning to
# one of them, and closer to it than to every ordinary question below, is an emergency also in
# wordings the patterns above do not know ("the puppy ate my tablets").
EMERGENCY_SITUATIONS = (
    "someone took an overdose of pills",
    "I swallowed a whole bottle of my medication",
    "a child swallowed pills or medicine by accident",
    "the dog ate my tablets",
    "someone was poisoned or drank a chemical",
    "I want to kill myself",
    "she is planning to end her life tonight",
    "he says life is not worth living and wants to die",
    "her lips and throat are swelling and she cannot breathe",
    "severe allergic reaction with hives and trouble breathing",
    "he has crushing chest pain and is sweating",
    "she can't breathe",
    "sudden weakness on one side of the body and slurred speech",
    "he is having a seizure right now",
    "she is unconscious and will not wake up",
    "sudden severe headache and loss of vision",
    "he collapsed and is not breathing",
)
ORDINARY_QUESTIONS = (
    "Does this medication cause this side effect?",
    "What is the risk of this side effect with LDN?",
    "The patient has a past history of this condition; can they take LDN?",
    "How many tablets should be taken per day?",
    "What happens if a dose is missed?",
    "Is it possible to overdose on low dose naltrexone?",
    "What are the side effects of LDN?",
    "What dose of LDN should be used?",
    "How does LDN work?",
    "The patient has trouble swallowing tablets; is there a liquid form?",
    "She had this once years ago and has been fine since; can she take LDN?",
)
_PARTS = re.compile(r"(?<=[.!?;,])\s+|\s+[-–—]\s+")
MAX_PARTS = 8


def question_parts(question: str) -> list[str]:
    """The sentences and clauses of `question` (at most `MAX_PARTS`), past events and
    symptoms asked about as effects left out (`_not_now`)."""
    return [p.strip() for p in _PARTS.split(_not_now(question)) if p.strip()][:MAX_PARTS]


class EmergencyDetector:
    """`is_emergency`, and beyond the patterns a part of the question close in meaning to an
    emergency situation (cosine at least `min_similarity`) and closer to it than to any
    ordinary question by at least `min_margin`, in a question that as a whole is closer to an
    emergency situation than to an ordinary question ("Patient with epilepsy; is LDN safe?"
    has a part close to a seizure, but asks an ordinary question)."""

    def __init__(
        self,
        encode: Callable[[list[str]], np.ndarray[Any, Any]],
        min_similarity: float,
        min_margin: float,
    ):
        self.encode = encode
        self.min_similarity = min_similarity
        self.min_margin = min_margin
        vectors = encode([*EMERGENCY_SITUATIONS, *ORDINARY_QUESTIONS])
        self._situations = vectors[: len(EMERGENCY_SITUATIONS)]
        self._ordinary = vectors[len(EMERGENCY_SITUATIONS) :]

    def closeness(self, question: str) -> tuple[float, float, float]:
        """(best cosine of a part to a situation, best margin of a part over the ordinary
        questions, margin of the whole question)."""
        parts = question_parts(question)
        if not parts:
            return 0.0, 0.0, 0.0
        vectors = self.encode([*parts, " ".join(parts)])
        situation = (vectors @ self._situations.T).max(axis=1)
        margins = situation - (vectors @ self._ordinary.T).max(axis=1)
        return float(situation[:-1].max()), float(margins[:-1].max()), float(margins[-1])

    def by_meaning(self, question: str) -> bool:
        """The part beyond the patterns: close in meaning to an emergency situation."""
        similarity, margin, whole = self.closeness(question)
        return similarity >= self.min_similarity and margin >= self.min_margin and whole >= 0

    def __call__(self, question: str) -> bool:
        return is_emergency(question) or self.by_meaning(question)


def asks_patient_dose(question: str) -> bool:
    return bool(_DOSE_WORDS.search(question) and _PATIENT_DOSE.search(question))
