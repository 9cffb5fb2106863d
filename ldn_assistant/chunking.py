"""Structure-aware, sentence-aligned chunking.

Chunks never cross a heading (the heading becomes `section`), always start and end on a
sentence boundary, and are exact slices of the document text so offsets stay valid.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ldn_assistant.models import Chunk, SourceDocument
from ldn_assistant.sentences import split_blocks, split_sentences

SECTION_SEPARATOR = " › "


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    section: str


def sentence_units(doc: SourceDocument) -> list[_Unit]:
    """Every sentence of the document with the section it stands in."""
    headings: dict[int, str] = {}
    units: list[_Unit] = []
    for block in split_blocks(doc.text):
        if block.kind == "heading":
            if block.level == 1:
                continue  # the title, already in `title`
            headings = {lvl: h for lvl, h in headings.items() if lvl < block.level}
            headings[block.level] = doc.text[block.start : block.end]
            continue
        section = SECTION_SEPARATOR.join(headings[lvl] for lvl in sorted(headings))
        for span in split_sentences(doc.text, block.start, block.end):
            units.append(_Unit(span.start, span.end, section))
    return units


def chunk_document(doc: SourceDocument, chunk_size: int, chunk_overlap: int) -> list[Chunk]:
    """Group consecutive sentences of one section into chunks of about `chunk_size` characters.

    The next chunk repeats trailing sentences of the previous one up to `chunk_overlap`
    characters; a sentence longer than `chunk_size` becomes a chunk of its own.
    """
    groups: list[list[_Unit]] = []
    current: list[_Unit] = []
    for unit in sentence_units(doc):
        fits = (
            current
            and unit.section == current[0].section
            and unit.end - current[0].start <= chunk_size
        )
        if current and not fits:
            groups.append(current)
            carried: list[_Unit] = []
            if unit.section == current[0].section:
                for prev in reversed(current[1:]):
                    if current[-1].end - prev.start > chunk_overlap:
                        break
                    carried.insert(0, prev)
            current = carried
        current.append(unit)
    if current:
        groups.append(current)

    chunks = []
    for i, group in enumerate(groups):
        start, end = group[0].start, group[-1].end
        text = doc.text[start:end]
        digest = hashlib.sha1(f"{doc.id}|{start}|{end}|{text}".encode()).hexdigest()[:10]
        chunks.append(
            Chunk(
                id=f"{doc.id}-{i:04d}-{digest}",
                doc_id=doc.id,
                title=doc.title,
                section=group[0].section,
                text=text,
                start=start,
                end=end,
            )
        )
    return chunks


def embedding_text(chunk: Chunk) -> str:
    """What is embedded and BM25-indexed for a chunk: its section heading gives it context.

    The title is left out: measured on the dev questions, a long title repeated in every
    chunk of an article pulls them all towards its words (fused MRR@10 0.75 with the title,
    0.80 without, at 600-character chunks).
    """
    return f"{chunk.section}.\n{chunk.text}" if chunk.section else chunk.text
