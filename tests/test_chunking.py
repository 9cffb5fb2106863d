from ldn_assistant.chunking import chunk_document, embedding_text
from ldn_assistant.corpus import load_file


def _doc(tiny_corpus, name="alpha.md"):
    return load_file(tiny_corpus / name)


def test_chunks_are_exact_slices_with_sections(tiny_corpus):
    doc = _doc(tiny_corpus)
    chunks = chunk_document(doc, chunk_size=120, chunk_overlap=0)
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text
        assert c.doc_id == "alpha" and c.title == "Alpha article"
    assert [c.section for c in chunks] == ["", "Dosing", "Dosing", "Effects"]
    assert (
        chunks[1].text
        == "Determine Dosage: The alpha dose ranges from 1 to 3 units. Ask the prescriber."
    )
    assert chunks[2].text == "Timing: Take it in the evening before sleep."


def test_small_chunks_split_on_sentences_and_overlap(tiny_corpus):
    doc = _doc(tiny_corpus)
    chunks = chunk_document(doc, chunk_size=60, chunk_overlap=0)
    intro = [c.text for c in chunks if c.section == ""]
    assert intro == [
        "Intro sentence about the alpha topic here.",
        "A second intro sentence follows it.",
    ]
    overlapping = chunk_document(doc, chunk_size=100, chunk_overlap=25)
    dosing = [c.text for c in overlapping if c.section == "Dosing"]
    # "Ask the prescriber." (19 characters <= 25) is repeated at the start of the next chunk.
    assert dosing == [
        "Determine Dosage: The alpha dose ranges from 1 to 3 units. Ask the prescriber.",
        "Ask the prescriber.\n- Timing: Take it in the evening before sleep.",
    ]


def test_chunk_ids_are_stable_and_document_scoped(tiny_corpus):
    doc = _doc(tiny_corpus)
    first = [c.id for c in chunk_document(doc, 120, 0)]
    again = [c.id for c in chunk_document(doc, 120, 0)]
    assert first == again
    assert all(i.startswith("alpha-") for i in first)
    assert len(set(first)) == len(first)


def test_embedding_text_carries_the_section(tiny_corpus):
    doc = _doc(tiny_corpus)
    chunk = chunk_document(doc, 120, 0)[1]
    assert embedding_text(chunk) == f"Dosing.\n{chunk.text}"
    intro = chunk_document(doc, 120, 0)[0]
    assert embedding_text(intro) == intro.text
