"""Loading articles from the corpus folder: Markdown, text, HTML and PDF.

A file that cannot be read is skipped with a reason; it never stops the others.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ldn_assistant.models import SourceDocument

SUPPORTED_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".html", ".htm", ".pdf"})
# Curator files that live in corpus/ but are not articles.
CONFIG_FILES = frozenset({"synonyms.yaml", "abbreviations.yaml", "retrieval_examples.jsonl"})
_META_KEYS = ("author", "site", "date", "title_source", "seed_file", "url")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class UnreadableFile(Exception):
    """A corpus file that cannot be turned into text; the message is the reason."""


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"skipped {self.path}: {self.reason}"


@dataclass(frozen=True)
class CorpusLoad:
    documents: list[SourceDocument]
    skipped: list[Skipped]


def load_corpus(corpus_dir: Path, max_file_mb: float = 10.0) -> CorpusLoad:
    """Read every supported file under `corpus_dir` (sorted, hidden files ignored)."""
    documents: list[SourceDocument] = []
    skipped: list[Skipped] = []
    if not corpus_dir.is_dir():
        return CorpusLoad([], [Skipped(str(corpus_dir), "corpus folder does not exist")])
    seen: dict[str, str] = {}
    for path in _article_paths(corpus_dir):
        try:
            doc = load_file(path, max_file_mb)
        except UnreadableFile as exc:
            skipped.append(Skipped(str(path), str(exc)))
            continue
        if doc.id in seen:
            skipped.append(Skipped(str(path), f"duplicate id {doc.id!r} (also {seen[doc.id]})"))
            continue
        seen[doc.id] = str(path)
        documents.append(doc)
    return CorpusLoad(documents, skipped)


def _article_paths(corpus_dir: Path) -> Iterable[Path]:
    for path in sorted(corpus_dir.rglob("*")):
        rel = path.relative_to(corpus_dir)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.name in CONFIG_FILES:
            continue
        yield path


def load_file(path: Path, max_file_mb: float = 10.0) -> SourceDocument:
    """One article as a `SourceDocument`; raises `UnreadableFile` with the reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFile(
            f"unsupported file type {suffix or '(none)'}; use .md, .txt, .html or .pdf"
        )
    try:
        size = path.stat().st_size
        if size == 0:
            raise UnreadableFile("empty file")
        if size > max_file_mb * 1024 * 1024:
            raise UnreadableFile(f"larger than the {max_file_mb:g} MB limit ({size / 1e6:.1f} MB)")
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"cannot be read ({exc.strerror or exc})") from exc

    if suffix == ".pdf":
        title, body, meta = _read_pdf(raw)
    else:
        text = _decode(raw)
        if suffix in (".html", ".htm"):
            title, body, meta = _read_html(text)
        else:
            title, body, meta = _read_markdown(text)
    body = _CONTROL.sub("", body).strip()
    if len(re.findall(r"[A-Za-z]{2,}", body)) < 5:
        raise UnreadableFile("no readable text")
    doc_id = slugify(str(meta.pop("id", "") or path.stem))
    if not title:
        heading = re.search(r"^#{1,2}\s+(.+?)\s*$", body, re.M)
        title = heading.group(1) if heading else path.stem.replace("_", " ").replace("-", " ")
    clean_meta = {k: str(meta[k]) for k in _META_KEYS if meta.get(k) not in (None, "")}
    digest = hashlib.sha256(
        json.dumps([doc_id, title, body, clean_meta], sort_keys=True).encode()
    ).hexdigest()
    return SourceDocument(
        id=doc_id, title=str(title), text=body, path=str(path), meta=clean_meta, content_hash=digest
    )


def slugify(value: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return slug[:80] or "document"


def _decode(raw: bytes) -> str:
    if b"\x00" in raw[:8192]:
        raise UnreadableFile("binary content, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"not UTF-8 text (byte {exc.start})") from exc


def _read_markdown(text: str) -> tuple[str, str, dict[str, Any]]:
    import frontmatter
    import yaml

    if not text.lstrip().startswith("---"):
        return "", text, {}
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        raise UnreadableFile(f"invalid YAML front matter ({type(exc).__name__})") from exc
    meta = dict(post.metadata)
    return str(meta.pop("title", "") or ""), post.content, meta


_HTML_BLOCKS = [
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "li",
    "blockquote",
    "pre",
    "td",
    "dt",
    "dd",
]
_HTML_CLUTTER = [
    "script",
    "style",
    "nav",
    "footer",
    "header",
    "aside",
    "form",
    "noscript",
    "iframe",
]


def _read_html(text: str) -> tuple[str, str, dict[str, Any]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    title_tag = soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else ""
    for tag in soup.find_all(_HTML_CLUTTER):
        tag.decompose()
    lines: list[str] = []
    for tag in soup.find_all(_HTML_BLOCKS):
        if tag.find_parent(_HTML_BLOCKS):
            continue  # nested block: its text is part of the outer one
        content = " ".join(tag.get_text(" ", strip=True).split())
        if not content:
            continue
        name = tag.name or ""
        if name.startswith("h") and name[1:].isdigit():
            lines.append(f"{'#' * int(name[1:])} {content}")
            if not title and name == "h1":
                title = content
        elif name == "li":
            lines.append(f"- {content}")
        else:
            lines.append(content)
    if not lines:  # no block markup: fall back to the visible text
        lines = [
            " ".join(part.split()) for part in soup.get_text("\n").splitlines() if part.strip()
        ]
    return title, "\n\n".join(lines), {}


def _read_pdf(raw: bytes) -> tuple[str, str, dict[str, Any]]:
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
        title = str(info.title) if info and info.title else ""
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableFile(f"broken or unreadable PDF ({type(exc).__name__})") from exc
    paragraphs = []
    for page in pages:
        for para in re.split(r"\n\s*\n", page):
            joined = " ".join(para.split())
            if joined:
                paragraphs.append(joined)
    if not paragraphs:
        raise UnreadableFile("PDF has no extractable text (scanned images?)")
    return title, "\n\n".join(paragraphs), {}
