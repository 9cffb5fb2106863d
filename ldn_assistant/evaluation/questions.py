"""The question-set schema (tests/eval/SCHEMA.md) and a tolerant loader."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

DEFAULT_QUESTIONS = Path("tests/eval/questions.jsonl")


class Turn(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    role: Literal["user", "assistant"]
    content: str


class EvalQuestion(BaseModel):
    """One question of a question set; unknown fields are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    question: str
    category: str = "uncategorised"
    answerable: bool = True
    expect: Literal["answer", "refuse", "emergency"] = "answer"
    evidence: list[str] = Field(default_factory=list)
    facts: list[str] = Field(default_factory=list)
    history: list[Turn] | None = None
    notes: str = ""

    @field_validator("facts")
    @classmethod
    def _compile(cls, facts: list[str]) -> list[str]:
        for fact in facts:
            try:
                re.compile(fact)
            except re.error as exc:
                raise ValueError(f"fact {fact!r} is not a valid regular expression: {exc}") from exc
        return facts

    def history_dicts(self) -> list[dict[str, Any]] | None:
        return [t.model_dump() for t in self.history] if self.history else None


def load_questions(path: Path) -> tuple[list[EvalQuestion], list[str]]:
    """Questions that parse, and one error message per bad line ("line N: reason")."""
    questions: list[EvalQuestion] = []
    errors: list[str] = []
    seen: set[str] = set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"{path}: cannot be read ({exc})"]
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            q = EvalQuestion.model_validate(data)
        except (ValueError, ValidationError) as exc:
            reason = (
                str(exc).splitlines()[0]
                if not isinstance(exc, ValidationError)
                else "; ".join(
                    f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
                )
            )
            errors.append(f"line {number}: {reason}")
            continue
        if q.id in seen:
            errors.append(f"line {number}: duplicate id {q.id!r}")
            continue
        seen.add(q.id)
        questions.append(q)
    return questions, errors
