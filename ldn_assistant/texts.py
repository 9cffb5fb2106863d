"""Fixed texts that code adds to responses.

None of these is ever produced or altered by retrieval or by a language model; they are
constants so that tests, the UI and the evaluation can rely on their exact wording. They
make no medical claim of their own.
"""

DISCLAIMER = (
    "LDN Assistant quotes a small set of indexed articles for clinicians. It is not medical "
    "advice, may be incomplete, and does not replace clinical judgement: check every statement "
    "against its cited source before acting on it."
)

REFUSAL = "The indexed sources do not answer this question."

NEARBY_INTRO = "The closest passages in the indexed sources are about:"

# After the refusal, when the question names things the sources never mention.
UNMENTIONED = "The indexed sources do not mention {terms}."

EMERGENCY_NOTICE = (
    "**This may be an emergency.** If someone may have taken an overdose or been poisoned, has "
    "thoughts of suicide, a severe allergic reaction, chest pain or trouble breathing, contact "
    "local emergency services or poison control now. Do not wait for this assistant."
)

DOSING_REMINDER = (
    "Dosing for an individual patient is decided by the treating clinician. The passages below "
    "report what the sources say; they are not a dose recommendation for this patient."
)

NOT_MENTIONED = (
    "The indexed sources do not mention {terms}. What follows is what they say about the rest of "
    "the question; it does not cover {terms}."
)

# How clinical abbreviations in the question were read ("PD as Parkinson's disease").
READ_AS = "Abbreviations read as: {readings}."

SOURCES_DIFFER = "Sources differ:"

EMPTY_QUESTION = "Please type a question about low-dose naltrexone (LDN)."

NOT_ENGLISH = (
    "The indexed sources are in English and this question does not appear to be. "
    "Please ask it in English. If this is an emergency, contact local emergency services or "
    "poison control now."
)

TOO_LONG = (
    "This question is longer than {limit} characters; only the first {limit} characters were used."
)

INTERNAL_ERROR = (
    "Something went wrong while answering this question, so no answer is shown. "
    "Please try again or rephrase the question."
)

LLM_UNAVAILABLE = (
    "The language model server could not be reached, so this is the extractive answer "
    "(quoted sentences)."
)

WITHHELD = (
    "{count} generated sentence(s) were withheld because the cited passages do not support them."
)

INSTRUCTIONS_IGNORED = (
    "Instructions inside a question are not followed (the disclaimer, sources and rules stay "
    "as they are); only the question itself was answered."
)
