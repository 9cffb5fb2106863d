from pathlib import Path

import pytest

from ldn_assistant.corpus import UnreadableFile, load_corpus, load_file


def _pdf_bytes(text: str) -> bytes:
    """A minimal one-page PDF with `text` (built by hand: no PDF writer dependency)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def test_markdown_front_matter_and_fallback_titles(tmp_path: Path):
    with_fm = tmp_path / "a.md"
    with_fm.write_text(
        "---\nid: my-id\ntitle: Given title\nauthor: A. Writer\n---\nBody text "
        "with enough words to count as an article.\n"
    )
    doc = load_file(with_fm)
    assert (doc.id, doc.title, doc.meta) == ("my-id", "Given title", {"author": "A. Writer"})

    heading = tmp_path / "b.md"
    heading.write_text("# Heading title\n\nBody text with enough words to count here.\n")
    assert load_file(heading).title == "Heading title"

    plain = tmp_path / "plain_notes-file.txt"
    plain.write_text("Body text with enough words to count as an article.\n")
    doc = load_file(plain)
    assert (doc.id, doc.title) == ("plain-notes-file", "plain notes file")


def test_html_is_converted_with_headings_and_without_scripts(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Page title</title><script>alert('x')</script></head><body>"
        "<nav>Menu Home About</nav><h2>Section one</h2><p>First paragraph has some words.</p>"
        "<ul><li>Item one is here</li></ul><footer>Share This</footer></body></html>"
    )
    doc = load_file(page)
    assert doc.title == "Page title"
    assert doc.text == "## Section one\n\nFirst paragraph has some words.\n\n- Item one is here"


def test_pdf_text_is_extracted(tmp_path: Path):
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(_pdf_bytes("Naltrexone passage text in a small test document."))
    doc = load_file(pdf)
    assert doc.text == "Naltrexone passage text in a small test document."
    assert doc.id == "paper"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", b"", "empty file"),
        ("binary.txt", b"\x00\x01\x02binary\x00" * 10, "binary content, not text"),
        (
            "latin1.txt",
            "caf\xe9 au lait is a drink and more words".encode("latin-1"),
            "not UTF-8 text (byte 3)",
        ),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "broken or unreadable PDF"),
        ("image.png", b"\x89PNG\r\n", "unsupported file type .png"),
        ("bad.md", b"---\ntitle: [unclosed\n---\nSome body text here with words.", "invalid YAML"),
        ("short.md", b"Hi.", "no readable text"),
    ],
)
def test_unreadable_files_are_skipped_with_a_reason(tmp_path: Path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=reason.split(" (")[0].replace(".", r"\.")):
        load_file(path)


def test_size_limit(tmp_path: Path):
    big = tmp_path / "big.txt"
    big.write_text("word " * 300_000)
    with pytest.raises(UnreadableFile, match="larger than the 1 MB limit"):
        load_file(big, max_file_mb=1)


def test_load_corpus_counts_skips_and_keeps_the_rest(tiny_corpus: Path):
    (tiny_corpus / "junk.pdf").write_bytes(b"not a pdf at all")
    (tiny_corpus / ".hidden.md").write_text("ignored entirely")
    (tiny_corpus / "synonyms.yaml").write_text("- [a, b]\n")
    (tiny_corpus / "dupe.md").write_text("---\nid: alpha\n---\nAnother alpha with enough words.\n")
    loaded = load_corpus(tiny_corpus)
    assert [d.id for d in loaded.documents] == ["alpha", "beta"]
    reasons = sorted((Path(s.path).name, s.reason.split(" (")[0]) for s in loaded.skipped)
    assert reasons == [
        ("dupe.md", "duplicate id 'alpha'"),
        ("junk.pdf", "broken or unreadable PDF"),
    ]


def test_the_bundled_corpus_loads_completely():
    loaded = load_corpus(Path(__file__).resolve().parents[1] / "corpus")
    assert loaded.skipped == []
    assert sorted(d.id for d in loaded.documents) == [
        "ldn-and-serotonin",
        "ldn-gut-motility",
        "ldn-immune-modulator",
        "what-is-ldn",
    ]
