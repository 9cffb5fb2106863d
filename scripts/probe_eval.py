"""Answers and refusals on labelled probe questions.

    .venv/bin/python scripts/probe_eval.py tests/eval/probes/*.jsonl

Each line of a file: {"q": "...", "exp": "A" (the sources answer it) or "R" (they do not),
"why": "..."}. Prints, per file, the answerable questions refused, the unanswerable ones
answered and the emergency notices given, and lists each of them.
"""

from __future__ import annotations

from typing import Any

from _labelled import main


def judge(assistant: Any, rows: list[dict[str, Any]]) -> tuple[str, list[tuple[str, str]]]:
    errors = []
    for row in rows:
        answer = assistant.ask(row["q"])
        if answer.safety == "emergency":
            errors.append(("emergency notice", row["q"]))
        elif answer.refused and row["exp"] == "A":
            errors.append(("answerable refused", row["q"]))
        elif not answer.refused and row["exp"] == "R":
            errors.append(("unanswerable answered", row["q"]))
    kinds = [kind for kind, _ in errors]
    answerable = sum(1 for r in rows if r["exp"] == "A")
    summary = (
        f"answerable refused {kinds.count('answerable refused')} / {answerable}, "
        f"unanswerable answered {kinds.count('unanswerable answered')} / "
        f"{len(rows) - answerable}, emergency notices {kinds.count('emergency notice')}"
    )
    return summary, errors


if __name__ == "__main__":
    raise SystemExit(main(judge))
