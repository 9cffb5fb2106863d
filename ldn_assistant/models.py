"""The typed record at each stage boundary: document -> chunk -> retrieved chunk -> answer."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ldn_assistant.texts import DISCLAIMER

_FROZEN = ConfigDict(frozen=True)


class SourceDocument(BaseModel):
    """One article of the corpus, as text, with its metadata."""

    model_config = _FROZEN

    id: str
    title: str
    text: str = Field(description="The article body (Markdown); chunk offsets point into it.")
    path: str
    meta: dict[str, str] = Field(default_factory=dict)
    content_hash: str


class Chunk(BaseModel):
    """A sentence-aligned slice of one document: `text == document.text[start:end]`."""

    model_config = _FROZEN

    id: str
    doc_id: str
    title: str
    section: str
    text: str
    start: int
    end: int

    def metadata(self) -> dict[str, str | int]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "section": self.section,
            "start": self.start,
            "end": self.end,
        }


class RetrievedChunk(BaseModel):
    """A chunk with its scores for one question."""

    model_config = _FROZEN

    chunk: Chunk
    score: float = Field(description="Fused (reciprocal rank) score.")
    similarity: float = Field(description="Cosine similarity of question and chunk.")
    dense_rank: int | None = None
    lexical_rank: int | None = None


class Citation(BaseModel):
    """A numbered passage shown with an answer; `[n]` in the answer text points to it."""

    model_config = _FROZEN

    n: int
    doc_id: str
    title: str
    section: str
    text: str = Field(description="The full passage.")
    start: int
    end: int
    score: float
    chunk_id: str = ""
    sentences: list[str] = Field(default_factory=list, description="Sentences cited from it.")


class Passage(BaseModel):
    """A retrieved passage, cited or not (for evaluation and the evidence panel)."""

    model_config = _FROZEN

    chunk_id: str
    doc_id: str
    title: str
    section: str
    text: str
    start: int
    end: int
    score: float
    similarity: float


class Answer(BaseModel):
    """What the assistant returns for one question. It always carries its evidence."""

    model_config = _FROZEN

    question: str
    text: str = Field(description="Markdown answer with [n] markers, without the disclaimer.")
    citations: list[Citation] = Field(default_factory=list)
    refused: bool = False
    safety: str | None = Field(None, description='"emergency", "patient_dose" or None.')
    disclaimer: str = DISCLAIMER
    timings_ms: dict[str, float] = Field(default_factory=dict)
    sources_differ: bool = False
    nearby: list[str] = Field(default_factory=list, description="Refusals: closest topics.")
    notices: list[str] = Field(default_factory=list, description="Input notes (truncation, ...).")
    retrieved: list[Passage] = Field(default_factory=list)
    unsupported: list[str] = Field(
        default_factory=list, description="Generated sentences withheld as unsupported."
    )
    mode: str = Field("extractive", description='"extractive" or "generative".')
    extra: dict[str, Any] = Field(default_factory=dict)

    @field_validator("disclaimer", mode="before")
    @classmethod
    def _fixed_disclaimer(cls, value: object) -> str:
        # The disclaimer is not data: whatever a caller or a model passes, it is the constant.
        return DISCLAIMER

    def to_markdown(self) -> str:
        """Answer, numbered sources and the disclaimer, as one Markdown text."""
        parts = [self.text.strip()]
        if self.citations:
            lines = ["**Sources**", ""]
            for c in self.citations:
                where = f"{c.title}, {c.section}" if c.section else c.title
                quoted = "\n".join(f"> {line}" if line else ">" for line in c.text.splitlines())
                lines.append(f"[{c.n}] {where}\n\n{quoted}\n")
            parts.append("\n".join(lines).rstrip())
        parts.append(f"---\n_{DISCLAIMER}_")
        return "\n\n".join(parts) + "\n"
