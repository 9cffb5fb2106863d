"""The browser chat (Gradio): chat in the centre, the evidence of the selected answer beside it,
a source viewer, settings, export, feedback, a review tab and the `/ask` HTTP endpoint.

Only this module imports gradio. Every per-user value lives in `gr.State` (one copy per
browser session); the `Assistant` is shared and read-only. Everything shown is escaped:
questions and passages are text, never HTML.
"""

import html
import json
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldn_assistant import texts
from ldn_assistant.feedback import append_jsonl, feedback_record
from ldn_assistant.models import Answer
from ldn_assistant.settings import Settings

if TYPE_CHECKING:
    import gradio as gr

    from ldn_assistant.assistant import Assistant

EXAMPLES = [
    "What dose range is LDN usually prescribed in?",
    "Does LDN cause constipation?",
    "Is serotonin syndrome a concern with SSRIs?",
    "What are the most common side effects of LDN?",
]
GRADES = ["correct", "partly correct", "wrong", "unsafe"]
_MARKER = re.compile(r"\[(\d+)\]")

CSS = """
#disclaimer-banner {background:#fff8e1;border:1px solid #e0b000;border-radius:8px;
  padding:8px 12px;font-size:0.95em;position:sticky;top:0;z-index:5}
#status {font-size:0.9em;color:#555}
#evidence {max-height:560px;overflow-y:auto !important;overflow-x:hidden}
#source {max-height:420px;overflow-y:auto !important;white-space:pre-wrap;font-size:0.92em;
  border:1px solid #ddd;border-radius:6px;padding:8px}
.passage .pt {white-space:pre-wrap}
.passage {border:1px solid #ddd;border-radius:6px;padding:8px;margin:6px 0}
.passage.active {border:2px solid #2f6fd6;background:#f3f7ff}
.passage .ph {font-weight:600;margin-bottom:4px}
.passage .rel {color:#666;font-weight:400}
.passage mark, #source mark {background:#ffe58a}
#source mark.focus {background:#ffd24a;outline:2px solid #e0a800}
.refusal-tag {color:#8a5a00;font-weight:600}
.emergency-box {background:#ffe5e5;border:2px solid #c00;color:#900;padding:8px;
  border-radius:6px;font-weight:700}
.bot-disclaimer {font-size:0.8em;color:#666}
@media (max-width: 700px) { #evidence {max-height:none} .gradio-container {padding:4px !important} }
"""

# After the evidence panel changes: bring the passage named in the URL hash into view.
FOCUS_JS = """
() => {
  const n = (location.hash.match(/^#ev-(\\d+)$/) || [])[1];
  document.querySelectorAll('#evidence .passage').forEach(p => p.classList.remove('active'));
  const el = n ? document.getElementById('ev-' + n) : null;
  if (el) { el.classList.add('active'); el.scrollIntoView({block: 'nearest'}); }
  const m = document.querySelector('#source mark.focus');
  if (m) { m.scrollIntoView({block: 'center'}); }
}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _md_text(text: str) -> str:
    """Text for a Markdown message: markup characters escaped, Markdown kept."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_message(answer: Answer | dict[str, Any], partial: str | None = None) -> str:
    """One assistant message: notices, the answer with clickable [n] markers, the disclaimer."""
    a = answer if isinstance(answer, Answer) else Answer.model_validate(answer)
    body = _md_text(a.text if partial is None else partial)
    body = _MARKER.sub(lambda m: f"[[{m.group(1)}]](#ev-{m.group(1)})", body)
    if a.safety == "emergency":
        notice = _md_text(texts.EMERGENCY_NOTICE)
        body = body.replace(notice, "").strip()
        plain = _e(texts.EMERGENCY_NOTICE.replace("**", ""))
        body = f'<div class="emergency-box">⚠️ {plain}</div>\n\n{body}'
    elif a.refused:
        body = f'<span class="refusal-tag">Not answered from the sources.</span>\n\n{body}'
    if a.unsupported:
        body += "\n\n_" + texts.WITHHELD.format(count=len(a.unsupported)) + "_"
    return f'{body}\n\n<span class="bot-disclaimer">{_e(texts.DISCLAIMER)}</span>'


def _highlight(passage: str, sentences: list[str]) -> str:
    out = _e(passage)
    for s in sorted(set(sentences), key=len, reverse=True):
        es = _e(s)
        out = out.replace(es, f"<mark>{es}</mark>")
    return out


def render_evidence(answer: dict[str, Any] | None, focus: int | None = None) -> str:
    """The evidence panel for one answer: every cited passage, cited sentences marked."""
    if not answer:
        return "<p>The passages behind an answer appear here. Click an answer or a marker [n].</p>"
    a = Answer.model_validate(answer)
    head = f"<p><b>Evidence for:</b> {_e(a.question[:300])}</p>"
    if not a.citations:
        if a.nearby:
            items = "".join(f"<li>{_e(t)}</li>" for t in a.nearby)
            return head + f"<p>No passage supports an answer. Closest topics:</p><ul>{items}</ul>"
        return head + "<p>No passages are cited for this response.</p>"
    parts = [head]
    for c in a.citations:
        where = f"{_e(c.title)}" + (f" — {_e(c.section)}" if c.section else "")
        active = " active" if focus == c.n else ""
        parts.append(
            f'<div class="passage{active}" id="ev-{c.n}"><div class="ph">[{c.n}] {where} '
            f'<span class="rel">· relevance {c.score:.2f}</span></div>'
            f'<div class="pt">{_highlight(c.text, c.sentences)}</div></div>'
        )
    return "".join(parts)


def render_source(
    doc_text: str, title: str, start: int, end: int, others: list[tuple[int, int]]
) -> str:
    """A whole article with the chosen passage highlighted (and other cited ones marked)."""
    marks = sorted({(s, e) for s, e in others if not (s == start and e == end)} | {(start, end)})
    out, cursor = [], 0
    for s, e in marks:
        if s < cursor:
            continue
        out.append(_e(doc_text[cursor:s]))
        cls = ' class="focus"' if (s, e) == (start, end) else ""
        out.append(f"<mark{cls}>{_e(doc_text[s:e])}</mark>")
        cursor = e
    out.append(_e(doc_text[cursor:]))
    return f"<h4>{_e(title)}</h4><div>{''.join(out)}</div>"


def conversation_markdown(answers: list[dict[str, Any]]) -> str:
    parts = ["# LDN Assistant conversation", ""]
    for i, a in enumerate(answers, 1):
        ans = Answer.model_validate(a)
        parts += [f"## Question {i}", "", ans.question, "", "### Answer", "", ans.to_markdown()]
    if not answers:
        parts += ["(no questions yet)", "", texts.DISCLAIMER]
    return "\n".join(parts) + "\n"


class _Ready:
    """Loads the assistant in the background so the page is up before the index is."""

    def __init__(self, assistant: "Assistant"):
        self.assistant = assistant
        self.error: str | None = None
        self.done = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        try:
            self.assistant.warm_up()
        except Exception as exc:  # shown on the page instead of a crash
            self.error = f"The index could not be prepared: {exc}"
        finally:
            self.done.set()

    def status(self) -> str:
        if not self.done.is_set():
            return "Preparing the index and the model… you can type your question meanwhile."
        if self.error:
            return f"{self.error}"
        n = len(self.assistant.doc_titles)
        return f"Ready: {n} articles indexed."


def build_app(
    assistant: "Assistant | None" = None,
    settings: Settings | None = None,
    review_dir: Path | None = None,
) -> "gr.Blocks":
    import gradio as gr

    from ldn_assistant.assistant import Assistant as _Assistant

    settings = settings or Settings()
    assistant = assistant or _Assistant(settings)
    review_dir = review_dir or settings.review_dir
    PROGRESS = gr.Progress()  # gradio's marker for "report progress to this event"
    ready = _Ready(assistant)
    ready.start()
    export_dir = Path(tempfile.mkdtemp(prefix="ldn-export-"))

    def wait_ready() -> None:
        ready.done.wait(timeout=900)

    def article_choices() -> list[tuple[str, str]]:
        return [(t, d) for d, t in sorted(assistant.doc_titles.items(), key=lambda kv: kv[1])]

    def documents() -> dict[str, Any]:
        from ldn_assistant.corpus import load_corpus

        return {d.id: d for d in load_corpus(settings.corpus_dir, settings.max_file_mb).documents}

    def refresh(loaded: bool) -> tuple[Any, ...]:
        """Status line until ready; then the article list once, and the timer stops."""
        if not ready.done.is_set():
            return ready.status(), gr.skip(), False, gr.skip()
        if loaded:
            return ready.status(), gr.skip(), True, gr.Timer(active=False)
        choices = article_choices()
        group = gr.CheckboxGroup(choices=choices, value=[c[1] for c in choices])
        return ready.status(), group, True, gr.Timer(active=False)

    def history_of(answers: list[dict[str, Any]]) -> list[dict[str, str]]:
        turns: list[dict[str, str]] = []
        for a in answers[-3:]:
            turns += [
                {"role": "user", "content": a["question"]},
                {"role": "assistant", "content": a["text"]},
            ]
        return turns

    def respond(
        message: str,
        chat: list[dict[str, Any]],
        answers: list[dict[str, Any]],
        top_k: int,
        articles: list[str],
    ) -> Iterator[tuple[Any, ...]]:
        chat = list(chat or [])
        answers = list(answers or [])
        shown = message if message and message.strip() else "(empty question)"
        chat.append({"role": "user", "content": _md_text(shown)})
        waiting = (
            "_Looking in the sources…_"
            if settings.llm_provider == "none"
            else "_Generating an answer and checking each sentence against its passage…_"
        )
        chat.append({"role": "assistant", "content": waiting})
        yield chat, answers, gr.skip(), "", gr.skip(), gr.skip()
        wait_ready()
        allowed = set(articles) if articles and len(articles) < len(assistant.doc_titles) else None
        answer = assistant.ask(message, history_of(answers), top_k=int(top_k), doc_ids=allowed)
        # Stream sentence by sentence as the answer is laid out.
        pieces = re.split(r"(?<=\]) ", answer.text)
        for i in range(1, len(pieces)):
            chat[-1] = {
                "role": "assistant",
                "content": render_message(answer, " ".join(pieces[:i])),
            }
            yield chat, answers, gr.skip(), "", gr.skip(), gr.skip()
            time.sleep(0.03)
        data = answer.model_dump(mode="json")
        answers.append(data)
        chat[-1] = {"role": "assistant", "content": render_message(answer)}
        path = export_dir / f"conversation-{id(answers)}.md"
        path.write_text(conversation_markdown(answers), encoding="utf-8")
        yield chat, answers, len(answers) - 1, "", render_evidence(data), str(path)

    def select_message(answers: list[dict[str, Any]], evt: gr.SelectData) -> tuple[Any, str]:
        index = evt.index if isinstance(evt.index, int) else evt.index[0]
        k = index // 2  # user, assistant, user, assistant, ...
        if not answers or k >= len(answers):
            return gr.skip(), gr.skip()
        return k, render_evidence(answers[k])

    def open_source(answers: list[dict[str, Any]], selected: int | None, n: str) -> str:
        if selected is None or not answers or not n:
            return "<p>Choose a passage to open its article here.</p>"
        a = answers[selected]
        cits = {str(c["n"]): c for c in a.get("citations", [])}
        c = cits.get(str(n).strip("[]"))
        if not c:
            return "<p>This answer has no such passage.</p>"
        doc = documents().get(c["doc_id"])
        if doc is None:
            return "<p>The article is no longer in the corpus.</p>"
        others = [(o["start"], o["end"]) for o in a["citations"] if o["doc_id"] == c["doc_id"]]
        return render_source(doc.text, doc.title, c["start"], c["end"], others)

    def passage_choices(answers: list[dict[str, Any]], selected: int | None) -> Any:
        if selected is None or not answers:
            return gr.Radio(choices=[], value=None)
        return gr.Radio(
            choices=[f"[{c['n']}]" for c in answers[selected].get("citations", [])], value=None
        )

    def on_like(answers: list[dict[str, Any]], evt: gr.LikeData) -> str:
        index = evt.index if isinstance(evt.index, int) else evt.index[0]
        k = index // 2
        if k >= len(answers or []):
            return ""
        rating = "up" if evt.liked else "down"
        ok = append_jsonl(settings.feedback_file, feedback_record(answers[k], rating))
        return f"Thanks: feedback ({rating}) saved." if ok else "Feedback could not be saved."

    def on_comment(
        answers: list[dict[str, Any]], selected: int | None, comment: str
    ) -> tuple[str, str]:
        if selected is None or not answers or not comment.strip():
            return "Select an answer and write a comment first.", comment
        ok = append_jsonl(
            settings.feedback_file, feedback_record(answers[selected], "comment", comment)
        )
        return ("Comment saved." if ok else "Comment could not be saved."), ""

    def clear() -> tuple[Any, ...]:
        return [], [], None, "", render_evidence(None), "<p></p>", None

    # ---- review ------------------------------------------------------------------------
    def run_review(upload: Any, progress: gr.Progress = PROGRESS) -> tuple[Any, ...]:
        from ldn_assistant.evaluation.metrics import score_answer
        from ldn_assistant.evaluation.questions import DEFAULT_QUESTIONS, load_questions

        path = Path(upload) if upload else DEFAULT_QUESTIONS
        questions, errors = load_questions(path)
        wait_ready()
        rows = []
        for q in progress.tqdm(questions, desc="Answering the question set"):
            answer = assistant.ask(q.question, q.history_dicts())
            scores = score_answer(q, answer)
            rows.append(
                {
                    "q": q.model_dump(mode="json"),
                    "answer": answer.model_dump(mode="json"),
                    "scores": scores,
                }
            )
        table = [
            [
                r["q"]["id"],
                r["q"]["category"],
                r["q"]["expect"],
                r["scores"]["outcome"],
                r["scores"]["correct_outcome"],
                r["scores"]["fact_recall"],
            ]
            for r in rows
        ]
        note = f"{len(rows)} questions from {path.name}." + (
            f" {len(errors)} bad line(s): " + "; ".join(errors[:5]) if errors else ""
        )
        ids = [r["q"]["id"] for r in rows]
        return rows, table, gr.Dropdown(choices=ids, value=ids[0] if ids else None), note

    def show_review(rows: list[dict[str, Any]], qid: str) -> tuple[str, str, str]:
        r = next((r for r in rows or [] if r["q"]["id"] == qid), None)
        if r is None:
            return "", "", ""
        q = r["q"]
        head = (
            f"**{_md_text(q['id'])}** · {q['category']} · expected *{q['expect']}*\n\n"
            f"{_md_text(q['question'][:2000])}"
        )
        return head, render_message(r["answer"]), render_evidence(r["answer"])

    def save_grade(
        rows: list[dict[str, Any]], qid: str, grade: str, cites: str, comment: str
    ) -> tuple[str, str]:
        r = next((r for r in rows or [] if r["q"]["id"] == qid), None)
        if r is None or not grade:
            return "Run the question set and choose a question and a grade first.", gr.skip()
        path = review_dir / "grades.jsonl"
        ok = append_jsonl(
            path,
            {
                "id": qid,
                "grade": grade,
                "citations_right": cites,
                "comment": comment.strip()[:2000],
                "auto": {k: r["scores"][k] for k in ("outcome", "correct_outcome", "fact_recall")},
            },
        )
        return (f"Saved to {path}." if ok else f"Could not write {path}."), grade_summary(
            rows, path
        )

    def grade_summary(rows: list[dict[str, Any]], path: Path) -> str:
        grades: dict[str, str] = {}
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    rec = json.loads(line)
                    grades[rec["id"]] = rec["grade"]
                except (ValueError, KeyError):
                    continue
        counts = {g: sum(1 for v in grades.values() if v == g) for g in GRADES}
        auto = sum(1 for r in rows or [] if r["scores"]["correct_outcome"])
        lines = ["| grade | count |", "|---|---|"] + [f"| {g} | {c} |" for g, c in counts.items()]
        lines.append(
            f"\nAutomatic: {auto}/{len(rows or [])} answered/refused/escalated as expected."
        )
        return "\n".join(lines)

    def api_ask(question: str, history_json: str = "[]", top_k: int = 5) -> dict[str, Any]:
        """The same JSON as `ldn-assistant ask --json`."""
        try:
            history = json.loads(history_json or "[]")
            if not isinstance(history, list):
                history = []
        except ValueError:
            history = []
        wait_ready()
        return assistant.ask(question, history, top_k=int(top_k) or None).model_dump(mode="json")

    with gr.Blocks(title="LDN Assistant") as demo:
        gr.HTML(f'<div id="disclaimer-banner"><b>For clinicians.</b> {_e(texts.DISCLAIMER)}</div>')
        status = gr.Markdown(ready.status(), elem_id="status")
        answers = gr.State([])
        selected = gr.State(None)
        with gr.Tab("Chat"), gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                chat = gr.Chatbot(
                    label="Chat",
                    elem_id="chat",
                    height=520,
                    sanitize_html=True,
                    allow_tags=False,
                    feedback_options=("Like", "Dislike"),
                )
                with gr.Row():
                    box = gr.Textbox(
                        placeholder="Ask about low-dose naltrexone…",
                        show_label=False,
                        scale=5,
                        elem_id="question",
                        max_lines=6,
                    )
                    send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask-btn")
                gr.Examples(EXAMPLES, inputs=box, label="Try a question")
                with gr.Row():
                    clear_btn = gr.Button("Clear chat", elem_id="clear-btn")
                    export = gr.DownloadButton(
                        "Export conversation (Markdown)", elem_id="export-btn"
                    )
                with gr.Row():
                    comment = gr.Textbox(
                        placeholder="Comment on the selected answer",
                        show_label=False,
                        scale=4,
                        elem_id="comment",
                    )
                    comment_btn = gr.Button("Send comment", scale=1)
                feedback_note = gr.Markdown("")
            with gr.Column(scale=2, min_width=300):
                gr.Markdown("### Evidence")
                evidence = gr.HTML(render_evidence(None), elem_id="evidence")
                with gr.Accordion("Source viewer", open=True):
                    passage_pick = gr.Radio(
                        [], label="Open passage in its article", elem_id="passage-pick"
                    )
                    source = gr.HTML(
                        "<p>Choose a passage to open its article here.</p>", elem_id="source"
                    )
                with gr.Accordion("Settings", open=False):
                    top_k = gr.Slider(
                        1,
                        10,
                        value=settings.top_k,
                        step=1,
                        label="Passages to use",
                        elem_id="top-k",
                    )
                    articles = gr.CheckboxGroup([], label="Articles to search", elem_id="articles")
        with gr.Tab("Review"):
            gr.Markdown(
                "Run the question set (or upload one in the same JSON Lines schema), "
                "read each answer with its evidence and grade it. Grades are saved to "
                f"`{_e(str(review_dir / 'grades.jsonl'))}`."
            )
            rows = gr.State([])
            with gr.Row():
                upload = gr.File(
                    label="Question file (optional)", file_types=[".jsonl"], type="filepath"
                )
                run_btn = gr.Button("Run question set", variant="primary", elem_id="run-review")
            run_note = gr.Markdown("")
            table = gr.Dataframe(
                headers=["id", "category", "expect", "got", "as expected", "fact recall"],
                interactive=False,
                wrap=True,
            )
            pick = gr.Dropdown([], label="Question", elem_id="review-pick")
            with gr.Row():
                with gr.Column():
                    r_question = gr.Markdown()
                    r_answer = gr.Markdown(elem_id="review-answer")
                with gr.Column():
                    r_evidence = gr.HTML()
            with gr.Row():
                grade = gr.Radio(GRADES, label="Grade", elem_id="grade")
                cites = gr.Radio(["yes", "no"], label="Citations right?", elem_id="cites")
                g_comment = gr.Textbox(label="Comment", elem_id="grade-comment")
            save_btn = gr.Button("Save grade", elem_id="save-grade")
            save_note = gr.Markdown(elem_id="save-note")
            summary = gr.Markdown()

        outputs = [chat, answers, selected, box, evidence, export]
        for trigger in (send.click, box.submit):
            trigger(
                respond, [box, chat, answers, top_k, articles], outputs, api_visibility="private"
            ).then(passage_choices, [answers, selected], passage_pick).then(None, js=FOCUS_JS)
        chat.select(select_message, [answers], [selected, evidence]).then(
            passage_choices, [answers, selected], passage_pick
        ).then(None, js=FOCUS_JS)
        chat.like(on_like, [answers], feedback_note)
        comment_btn.click(on_comment, [answers, selected, comment], [feedback_note, comment])
        passage_pick.change(open_source, [answers, selected, passage_pick], source).then(
            None, js=FOCUS_JS
        )
        clear_btn.click(clear, None, [chat, answers, selected, box, evidence, source, passage_pick])
        run_btn.click(run_review, [upload], [rows, table, pick, run_note])
        pick.change(show_review, [rows, pick], [r_question, r_answer, r_evidence])
        save_btn.click(save_grade, [rows, pick, grade, cites, g_comment], [save_note, summary])
        gr.api(api_ask, api_name="ask")  # type: ignore[attr-defined]  # not in __all__
        loaded = gr.State(False)
        timer = gr.Timer(1.0)
        timer.tick(refresh, [loaded], [status, articles, loaded, timer], api_visibility="private")
        demo.load(refresh, [loaded], [status, articles, loaded, timer], api_visibility="private")
    return demo  # type: ignore[no-any-return]


def serve(settings: Settings) -> None:
    """Start the app on settings.host:settings.port (127.0.0.1:7860 by default)."""
    demo = build_app(None, settings)
    demo.queue(default_concurrency_limit=4).launch(
        server_name=settings.host,
        server_port=settings.port,
        css=CSS,
        show_error=False,
        footer_links=["api"],
    )
