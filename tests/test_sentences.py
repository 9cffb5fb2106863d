from ldn_assistant.sentences import split_blocks, split_sentences


def _sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_abbreviations_and_decimals_do_not_split():
    text = "Dr. Leonard Weinstock used LDN 2.5mg twice daily. Among 12 patients, 7 improved."
    assert _sentences(text) == [
        "Dr. Leonard Weinstock used LDN 2.5mg twice daily.",
        "Among 12 patients, 7 improved.",
    ]


def test_etc_inside_parentheses_and_question_marks():
    text = "When you take an opioid (morphine, oxycodone, etc.), you brake. How? Like this!"
    assert _sentences(text) == [
        "When you take an opioid (morphine, oxycodone, etc.), you brake.",
        "How?",
        "Like this!",
    ]


def test_closing_quote_stays_with_its_sentence():
    text = "They call it “few and far between.” Others agree."
    assert _sentences(text) == ["They call it “few and far between.”", "Others agree."]


def test_blocks_strip_markers_and_keep_offsets():
    text = "# Title\n\nPara one. Two.\n\n- Item: text here.\n  - Nested item\n1. Numbered"
    blocks = split_blocks(text)
    got = [(b.kind, text[b.start : b.end], b.level) for b in blocks]
    assert got == [
        ("heading", "Title", 1),
        ("text", "Para one. Two.", 0),
        ("text", "Item: text here.", 0),
        ("text", "Nested item", 0),
        ("text", "Numbered", 0),
    ]
    assert [b.indent for b in blocks] == [-1, -1, 0, 2, 0]
