"""Rendering helpers of the web app: escaping, markers, evidence, disclaimer, feedback."""

from __future__ import annotations

import json

from ldn_assistant import texts
from ldn_assistant.feedback import append_jsonl, feedback_record
from ldn_assistant.models import Answer, Citation
from ldn_assistant.ui import conversation_markdown, render_evidence, render_message, render_source

PASSAGE = "Before. <script>alert(1)</script> The cited sentence here. After."


def _answer(**kw) -> Answer:
    cit = Citation(n=1, doc_id="d", title="T <b>", section="S", text=PASSAGE, start=0,
                   end=len(PASSAGE), score=0.71, chunk_id="c1",
                   sentences=["The cited sentence here."])
    base = dict(question="Q <img src=x onerror=alert(1)>", text="The cited sentence here. [1]",
                citations=[cit])
    return Answer(**{**base, **kw})


def test_message_has_clickable_markers_and_the_disclaimer():
    html = render_message(_answer())
    assert "[[1]](#ev-1)" in html
    assert html.endswith(f'<span class="bot-disclaimer">{texts.DISCLAIMER}</span>')


def test_every_kind_of_response_carries_the_disclaimer():
    for answer in (
        _answer(text=texts.REFUSAL, citations=[], refused=True),
        _answer(text=texts.EMERGENCY_NOTICE, citations=[], safety="emergency"),
        _answer(text=texts.INTERNAL_ERROR, citations=[], refused=True, safety="error"),
    ):
        assert texts.DISCLAIMER in render_message(answer)
    assert 'class="emergency-box"' in render_message(_answer(text=texts.EMERGENCY_NOTICE,
                                                             safety="emergency"))
    assert 'class="refusal-tag"' in render_message(_answer(text=texts.REFUSAL, refused=True))


def test_markup_in_answers_and_passages_is_escaped():
    msg = render_message(_answer(text="<script>x</script> text [1]"))
    assert "<script>" not in msg and "&lt;script&gt;" in msg
    panel = render_evidence(_answer().model_dump(mode="json"))
    assert "<script>" not in panel and "&lt;script&gt;alert(1)&lt;/script&gt;" in panel
    assert "<img" not in panel and "T &lt;b&gt;" in panel
    assert "<mark>The cited sentence here.</mark>" in panel
    assert "relevance 0.71" in panel and 'id="ev-1"' in panel


def test_source_viewer_highlights_the_passage():
    doc = "Intro <b>bold</b>. The passage itself. Outro."
    start = doc.index("The passage")
    html = render_source(doc, "Title", start, start + len("The passage itself."), [])
    assert '<mark class="focus">The passage itself.</mark>' in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_export_has_questions_sources_and_disclaimer():
    md = conversation_markdown([_answer().model_dump(mode="json")])
    assert "## Question 1" in md and "**Sources**" in md and texts.DISCLAIMER in md


def test_feedback_is_appended_as_json_lines(tmp_path):
    path = tmp_path / "fb" / "feedback.jsonl"
    data = _answer().model_dump(mode="json")
    assert append_jsonl(path, feedback_record(data, "up"))
    assert append_jsonl(path, feedback_record(data, "comment", " useful "))
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    assert [r["rating"] for r in lines] == ["up", "comment"]
    assert lines[1]["comment"] == "useful" and lines[0]["citations"] == ["c1"]
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    assert not append_jsonl(blocked / "x.jsonl", {"a": 1})
