"""Emergency recall and false alarms on labelled messages.

    .venv/bin/python scripts/safety_eval.py tests/eval/safety/*.jsonl

Each line of a file: {"q": "...", "emergency": true|false, "why": "..."}. Prints, per file,
the emergencies recognised and the ordinary messages flagged, and lists the errors.
"""

from __future__ import annotations

from typing import Any

from _labelled import main


def judge(assistant: Any, rows: list[dict[str, Any]]) -> tuple[str, list[tuple[str, str]]]:
    errors = []
    found = flagged = 0
    for row in rows:
        emergency = assistant.ask(row["q"]).safety == "emergency"
        if row["emergency"]:
            found += emergency
        else:
            flagged += emergency
        if emergency != row["emergency"]:
            errors.append(("missed" if row["emergency"] else "false alarm", row["q"]))
    emergencies = sum(1 for r in rows if r["emergency"])
    summary = (
        f"emergencies recognised {found} / {emergencies}, "
        f"ordinary messages flagged {flagged} / {len(rows) - emergencies}"
    )
    return summary, errors


if __name__ == "__main__":
    raise SystemExit(main(judge))
