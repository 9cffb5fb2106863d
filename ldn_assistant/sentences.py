"""Sentence and block segmentation with character offsets (shared by chunking and answers).

A rule-based splitter rather than a model: the answer must quote corpus sentences verbatim,
so every sentence is a `(start, end)` slice of the source text and never re-written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words after which a period does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "al",
        "fig",
        "approx",
        "no",
        "inc",
        "ltd",
        "jr",
        "sr",
    ]
)
# End of sentence: . ! ? optionally followed by closing quotes/brackets, then whitespace.
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(?=\s+)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Block:
    """A paragraph, list item or heading line of a Markdown text."""

    kind: str  # "heading" | "text"
    start: int  # offsets of the content, list markers and heading hashes excluded
    end: int
    level: int = 0  # heading level
    indent: int = -1  # column of the list marker of a list item; -1 for other blocks


def split_blocks(text: str) -> list[Block]:
    """Split Markdown into headings and text blocks (paragraph lines and list items)."""
    blocks: list[Block] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        line_start, pos = pos, pos + len(line)
        content = line.rstrip("\r\n")
        if not content.strip():
            continue
        heading = _HEADING.match(content)
        if heading:
            inner = heading.group(2)
            start = line_start + content.index(inner) if inner else line_start
            blocks.append(Block("heading", start, start + len(inner), len(heading.group(1))))
            continue
        offset, indent = 0, -1
        marker = _LIST_MARKER.match(content)
        if marker:
            offset = marker.end()
            indent = len(content) - len(content.lstrip())
        stripped = content[offset:]
        lead = len(stripped) - len(stripped.lstrip())
        start = line_start + offset + lead
        end = line_start + len(content.rstrip())
        if end > start:
            blocks.append(Block("text", start, end, indent=indent))
    return blocks


def text_sentences(text: str) -> list[str]:
    """The sentences of the paragraphs and list items of `text` (headings left out)."""
    return [
        text[s.start : s.end]
        for block in split_blocks(text)
        if block.kind == "text"
        for s in split_sentences(text, block.start, block.end)
    ]


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentence spans of `text[start:end]`, as offsets into `text`."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    cursor = start
    for match in _BOUNDARY.finditer(text, start, end):
        stop = match.end()
        before = text[cursor : match.start()].split()
        last_word = before[-1].lower().rstrip(".") if before else ""
        if text[match.start()] == "." and last_word in _ABBREVIATIONS:
            continue
        # A decimal point or an initial ("J. Smith") is not a boundary.
        following = text[stop:end].lstrip()
        if following and following[0].islower():
            continue
        _append(text, spans, cursor, stop)
        cursor = stop
    _append(text, spans, cursor, end)
    return spans


def _append(text: str, spans: list[Span], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end))
