"""The chat in real Chromium (Debian's /usr/bin/chromium driven by Playwright)."""

from __future__ import annotations

import json
import time

import pytest

from ldn_assistant import texts

from .conftest import SHOTS

pytestmark = pytest.mark.browser

ANSWER_DONE = "#chat .bot-disclaimer"


def _page(browser, server, width=1280, height=800):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(server["url"])
    page.wait_for_selector("#question textarea", timeout=60_000)
    page.wait_for_selector("#status:has-text('Ready')", timeout=120_000)
    return context, page


def _ask(page, question: str, expected_messages: int) -> None:
    page.fill("#question textarea", question)
    page.click("#ask-btn")
    page.wait_for_function(
        "n => document.querySelectorAll('#chat .bot-disclaimer').length >= n",
        arg=expected_messages, timeout=60_000,
    )
    page.wait_for_timeout(300)


def test_answer_with_marker_evidence_and_disclaimer(browser, server):
    context, page = _page(browser, server)
    started = time.perf_counter()
    _ask(page, "What dose range is LDN usually prescribed in?", 1)
    first_answer_s = time.perf_counter() - started
    chat = page.locator("#chat")
    assert "[1]" in chat.inner_text()
    assert texts.DISCLAIMER in chat.inner_text()
    assert texts.DISCLAIMER in page.locator("#disclaimer-banner").inner_text()
    # click the marker [1]: its passage is shown, highlighted, in the evidence panel
    page.locator("#chat a[href='#ev-1']").last.click()
    page.wait_for_selector("#evidence .passage.active#ev-1", timeout=10_000)
    passage = page.locator("#evidence #ev-1").inner_text()
    assert "1.5" in passage and "4.5" in passage
    assert page.locator("#evidence #ev-1 mark").count() >= 1
    # the source viewer opens the article with the passage highlighted
    page.locator("#passage-pick label").first.click()
    page.wait_for_selector("#source mark.focus", timeout=10_000)
    assert "1.5" in page.locator("#source mark.focus").inner_text()
    page.screenshot(path=str(SHOTS / "answer-evidence.png"), full_page=True)
    (SHOTS / "timings.json").write_text(json.dumps(
        {"serve_to_page_s": round(server["startup_s"], 2),
         "first_answer_s": round(first_answer_s, 2)}))
    context.close()


def test_refusal_and_emergency_look_different(browser, server):
    context, page = _page(browser, server)
    _ask(page, "What is the capital of France?", 1)
    assert texts.REFUSAL in page.locator("#chat").inner_text()
    assert page.locator("#chat .refusal-tag").count() == 1
    page.screenshot(path=str(SHOTS / "refusal.png"), full_page=True)
    _ask(page, "My patient swallowed a whole bottle of pills", 2)
    box = page.locator("#chat .emergency-box")
    assert box.count() == 1 and "emergency" in box.inner_text().lower()
    page.screenshot(path=str(SHOTS / "emergency.png"), full_page=True)
    context.close()


def test_html_in_a_question_is_text_and_never_runs(browser, server):
    context, page = _page(browser, server)
    _ask(page, "<img src=x onerror=alert(1)> Is LDN immunosuppressive?", 1)
    page.wait_for_timeout(500)
    assert page.dialogs == []
    assert "<img src=x onerror=alert(1)>" in page.locator("#chat").inner_text()
    assert page.locator("#chat img[src='x']").count() == 0
    context.close()


def test_two_browsers_do_not_share_a_chat(browser, server):
    ctx_a, a = _page(browser, server)
    ctx_b, b = _page(browser, server)
    _ask(a, "Does LDN cause constipation?", 1)
    b.wait_for_timeout(500)
    assert "constipation" not in b.locator("#chat").inner_text().lower()
    assert b.locator("#chat .bot-disclaimer").count() == 0
    _ask(b, "Is LDN safe in pregnancy?", 1)
    assert "pregnan" not in a.locator("#chat").inner_text().lower()
    ctx_a.close()
    ctx_b.close()


def test_narrow_window_still_reads(browser, server):
    context, page = _page(browser, server, width=390, height=844)
    _ask(page, "Does LDN cause constipation?", 1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # no sideways scrolling
    page.screenshot(path=str(SHOTS / "narrow.png"), full_page=True)
    context.close()


def test_review_tab_grades_a_question_and_saves_the_file(browser, server, tmp_path):
    qfile = tmp_path / "two.jsonl"
    qfile.write_text(
        json.dumps({"id": "r1", "question": "What dose range is LDN usually prescribed in?",
                    "category": "dosing", "answerable": True, "expect": "answer",
                    "evidence": ["often ranging from 1.5 to 4.5 milligrams"], "facts": ["4\\.5"]})
        + "\n"
        + json.dumps({"id": "r2", "question": "What is the capital of France?",
                      "category": "out_of_scope", "answerable": False, "expect": "refuse"})
        + "\n"
    )
    context, page = _page(browser, server)
    page.get_by_role("tab", name="Review").click()
    page.locator("input[type=file][accept=\".jsonl\"]").set_input_files(str(qfile))
    page.wait_for_timeout(1000)
    page.click("#run-review")
    page.wait_for_selector("text=2 questions from", timeout=120_000)
    page.wait_for_selector("#review-answer .bot-disclaimer", timeout=30_000)
    page.locator("#grade label", has_text="partly correct").click()
    page.locator("#cites label", has_text="yes").click()
    page.fill("#grade-comment textarea", "dose range quoted")
    page.click("#save-grade")
    page.wait_for_selector("#save-note:has-text('Saved to')", timeout=20_000)
    page.screenshot(path=str(SHOTS / "review.png"), full_page=True)
    grades = server["work"] / "review" / "grades.jsonl"
    record = json.loads(grades.read_text().splitlines()[-1])
    assert (record["id"], record["grade"], record["citations_right"]) == ("r1", "partly correct",
                                                                           "yes")
    context.close()


def test_gradio_client_ask_endpoint(server):
    from gradio_client import Client

    client = Client(server["url"], verbose=False)
    result = client.predict("What dose range is LDN usually prescribed in?", "[]", 5,
                            api_name="/ask")
    data = result if isinstance(result, dict) else json.loads(result)
    assert data["disclaimer"] == texts.DISCLAIMER
    assert data["citations"] and data["citations"][0]["n"] == 1
    assert "4.5" in data["text"]
    refused = client.predict("What is the capital of France?", "[]", 5, api_name="/ask")
    refused = refused if isinstance(refused, dict) else json.loads(refused)
    assert refused["refused"] is True and refused["text"].startswith(texts.REFUSAL)
