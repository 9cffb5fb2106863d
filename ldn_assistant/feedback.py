"""Thumbs up/down and review grades, appended locally as JSON Lines."""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
_LOCK = threading.Lock()  # one writer at a time; sessions share the file, not their state


def append_jsonl(path: Path, record: dict[str, Any]) -> bool:
    """Append one record; False (and a log line) when the file cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **record})
        with _LOCK, open(path, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
        return True
    except OSError as exc:
        log.warning("could not write %s: %s", path, exc)
        return False


def feedback_record(answer: dict[str, Any], rating: str, comment: str = "") -> dict[str, Any]:
    """What is kept of one rated answer: enough to find the question and its evidence."""
    return {
        "rating": rating,
        "comment": comment.strip()[:2000],
        "question": answer.get("question", ""),
        "answer": answer.get("text", ""),
        "refused": answer.get("refused"),
        "safety": answer.get("safety"),
        "citations": [c.get("chunk_id") for c in answer.get("citations", [])],
    }
