"""Generative answers through any LangChain chat model, checked sentence by sentence.

Steps of `generate_answer`:
  1. number the retrieved passages and ask the model to answer only from them, with [n]
     after every sentence, or with the fixed refusal sentence;
  2. split the reply into sentences; drop markers that point to no shown passage;
  3. check each sentence against the passages it cites (`support.check_sentence`); a
     sentence that fails is removed and listed in `unsupported`;
  4. renumber the passages that remain cited 1..m.
The disclaimer, the emergency notice and the refusal stay with the assistant's code: the
model neither writes nor removes them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ldn_assistant.models import Citation, RetrievedChunk
from ldn_assistant.sentences import split_sentences
from ldn_assistant.settings import Settings
from ldn_assistant.support import check_sentence
from ldn_assistant.texts import REFUSAL

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

SYSTEM_PROMPT = (
    "You answer a clinician's question using ONLY the numbered passages given. "
    "Write a short answer in plain sentences. Put the number of the passage that supports "
    "each sentence in square brackets right after the sentence, like [1] or [2]. Every "
    "sentence needs a marker. Do not add facts, numbers, advice or opinions that the passages "
    "do not state, and keep negations exactly as the passages state them. If the passages do "
    f'not answer the question, reply with exactly: "{REFUSAL}" Do not write any disclaimer.'
)
_MARKER = re.compile(r"\s*\[(\d+)\]")
# "sentence. [1]" -> "sentence [1]." so that markers stay inside the sentence they follow.
_MARKER_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\d+\])+)")


class GenerationUnavailable(Exception):
    """The model server cannot be used now (unreachable, timed out, misconfigured)."""


@dataclass
class GeneratedAnswer:
    text: str
    citations: list[Citation] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)


def make_chat_model(settings: Settings) -> BaseChatModel:
    """The LangChain chat model named by `LDN_LLM_PROVIDER` and friends."""
    if not settings.llm_model:
        raise GenerationUnavailable("LDN_LLM_MODEL is not set")
    if settings.llm_provider == "openai":
        from langchain_openai import ChatOpenAI

        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
        return ChatOpenAI(
            model=settings.llm_model,
            base_url=settings.llm_base_url,
            api_key=key,  # type: ignore[arg-type]
            timeout=settings.llm_timeout_s,
            max_retries=settings.llm_max_retries,
            temperature=settings.llm_temperature,
        )
    if settings.llm_provider == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(
            model=settings.llm_model,
            base_url=settings.llm_base_url,
            temperature=settings.llm_temperature,
            client_kwargs={"timeout": settings.llm_timeout_s},
        )
    raise GenerationUnavailable(f"no chat model for provider {settings.llm_provider!r}")


def build_messages(question: str, retrieved: list[RetrievedChunk]) -> list[tuple[str, str]]:
    blocks = []
    for i, rc in enumerate(retrieved, 1):
        where = f"{rc.chunk.title} — {rc.chunk.section}" if rc.chunk.section else rc.chunk.title
        blocks.append(f"[{i}] ({where})\n{rc.chunk.text}")
    user = "Passages:\n\n" + "\n\n".join(blocks) + f"\n\nQuestion: {question}"
    return [("system", SYSTEM_PROMPT), ("human", user)]


def _invoke(chat_model: BaseChatModel, messages: list[tuple[str, str]]) -> str:
    try:
        reply = chat_model.invoke(messages)
    except Exception as exc:  # every client raises its own types; all mean "unavailable"
        raise GenerationUnavailable(f"{type(exc).__name__}: {exc}") from exc
    content: Any = reply.content
    if isinstance(content, list):
        content = " ".join(
            str(c.get("text", "")) if isinstance(c, dict) else str(c) for c in content
        )
    return str(content)


def check_reply(reply: str, retrieved: list[RetrievedChunk]) -> GeneratedAnswer:
    """Steps 2-4: keep only supported sentences, with valid, renumbered citations."""
    lines = [ln for ln in reply.splitlines() if "disclaimer" not in ln.lower()]
    reply = " ".join(" ".join(lines).split())
    if not reply or REFUSAL.rstrip(".").lower() in reply.lower():
        return GeneratedAnswer("")
    reply = _MARKER_AFTER_STOP.sub(r"\2\1", reply)
    kept: list[tuple[str, list[int]]] = []
    unsupported: list[str] = []
    for span in split_sentences(reply):
        raw = reply[span.start : span.end]
        cited = [int(n) for n in _MARKER.findall(raw)]
        valid = [n for n in dict.fromkeys(cited) if 1 <= n <= len(retrieved)]
        sentence = re.sub(r"\s+([.!?])", r"\1", _MARKER.sub("", raw)).strip()
        if not sentence:
            continue
        if not valid:
            unsupported.append(sentence)
            continue
        result = check_sentence(sentence, [retrieved[n - 1].chunk.text for n in valid])
        if result.supported:
            kept.append((sentence, valid))
        else:
            unsupported.append(sentence)
    numbers: dict[int, int] = {}
    parts = []
    for sentence, cited in kept:
        marks = "".join(f" [{numbers.setdefault(n, len(numbers) + 1)}]" for n in cited)
        parts.append(sentence + marks)
    citations = []
    for old, new in sorted(numbers.items(), key=lambda kv: kv[1]):
        rc = retrieved[old - 1]
        citations.append(
            Citation(
                n=new,
                doc_id=rc.chunk.doc_id,
                title=rc.chunk.title,
                section=rc.chunk.section,
                text=rc.chunk.text,
                start=rc.chunk.start,
                end=rc.chunk.end,
                score=round(rc.similarity, 4),
                chunk_id=rc.chunk.id,
                sentences=[s for s, c in kept if old in c],
            )
        )
    return GeneratedAnswer(" ".join(parts), citations, unsupported)


def generate_answer(
    settings: Settings,
    chat_model: BaseChatModel,
    question: str,
    retrieved: list[RetrievedChunk],
    encode: Callable[[list[str]], Any] | None = None,
) -> GeneratedAnswer:
    """Ask the model, then keep only what the cited passages support (module docstring)."""
    del settings, encode  # the check is deterministic; kept in the signature for callers
    return check_reply(_invoke(chat_model, build_messages(question, retrieved)), retrieved)
