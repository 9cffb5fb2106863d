"""Generative mode: every generated sentence is checked against the passage it cites."""

from __future__ import annotations

import socket
import time

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from ldn_assistant import Assistant, texts
from ldn_assistant.generative import (
    GenerationUnavailable,
    check_reply,
    generate_answer,
    make_chat_model,
)
from ldn_assistant.models import Chunk, RetrievedChunk
from ldn_assistant.settings import Settings
from ldn_assistant.support import check_sentence

from .fake_openai_server import FakeOpenAIServer

# Passages copied from the corpus (ldn-and-serotonin.md, what-is-ldn.md).
DOSE = (
    "Low Dose Naltrexone (LDN) is a medication that utilizes an established drug at a "
    "significantly reduced dosage, typically ranging from 1.5 mg to 4.5 mg per day."
)
SEROTONIN = (
    "LDN does not directly interact with serotonin receptors and is not classified as a "
    "selective serotonin reuptake inhibitor (SSRI) or similar serotonergic drug."
)
BEDTIME = (
    "Brief Blockade: LDN is taken at bedtime, and at this low dose, it briefly and "
    "partially blocks opioid receptors for a few hours, primarily during the nighttime."
)


def _retrieved() -> list[RetrievedChunk]:
    out = []
    for i, text in enumerate([DOSE, SEROTONIN, BEDTIME]):
        chunk = Chunk(
            id=f"c{i}",
            doc_id=f"d{i}",
            title=f"T{i}",
            section="S",
            text=text,
            start=0,
            end=len(text),
        )
        out.append(RetrievedChunk(chunk=chunk, score=0.03, similarity=0.7))
    return out


def _fake(reply: str) -> FakeListChatModel:
    return FakeListChatModel(responses=[reply])


def _settings(**kw) -> Settings:
    return Settings(llm_provider="openai", llm_model="fake", **kw)


def test_supported_answer_passes_untouched():
    reply = (
        "LDN is typically given at 1.5 mg to 4.5 mg per day [1]. LDN does not directly "
        "interact with serotonin receptors [2]."
    )
    got = generate_answer(_settings(), _fake(reply), "q", _retrieved())
    assert got.text == (
        "LDN is typically given at 1.5 mg to 4.5 mg per day. [1] LDN does not "
        "directly interact with serotonin receptors. [2]"
    )
    assert got.unsupported == []
    assert [(c.n, c.doc_id) for c in got.citations] == [(1, "d0"), (2, "d1")]


def test_fabricated_claim_is_removed_and_listed():
    reply = (
        "LDN is typically given at 1.5 mg to 4.5 mg per day [1]. "
        "It also cures migraine in most patients within days [1]."
    )
    got = check_reply(reply, _retrieved())
    assert got.text == "LDN is typically given at 1.5 mg to 4.5 mg per day. [1]"
    assert got.unsupported == ["It also cures migraine in most patients within days."]


def test_marker_to_a_missing_passage_is_removed():
    reply = "LDN is taken at bedtime [3] [9]. LDN is taken at bedtime too [9]."
    got = check_reply(reply, _retrieved())
    assert got.text == "LDN is taken at bedtime. [1]"
    assert [c.doc_id for c in got.citations] == ["d2"]
    assert got.unsupported == ["LDN is taken at bedtime too."]


@pytest.mark.parametrize(
    "changed",
    [
        "LDN is typically given at 15 mg to 45 mg per day [1].",
        "LDN is typically given at 1.5 mg to 50 mg per day [1].",
        "LDN directly interacts with serotonin receptors [2].",
        "LDN does directly interact with serotonin receptors and is classified as a selective "
        "serotonin reuptake inhibitor [2].",
        "LDN is taken in the morning [3].",
    ],
)
def test_changed_numbers_negations_and_opposites_are_caught(changed: str):
    got = check_reply(changed, _retrieved())
    assert got.text == "" and len(got.unsupported) == 1


def test_nothing_supported_or_a_refusal_gives_no_text():
    assert check_reply(texts.REFUSAL, _retrieved()).text == ""
    assert check_reply("Unrelated invented statement about kidneys [1].", _retrieved()).text == ""


def test_model_text_about_the_disclaimer_is_dropped():
    reply = "Disclaimer: none needed.\nLDN is taken at bedtime [3]."
    got = check_reply(reply, _retrieved())
    assert got.text == "LDN is taken at bedtime. [1]"


def test_support_check_directly():
    assert check_sentence("LDN is taken at bedtime.", [BEDTIME]).supported
    result = check_sentence("LDN is taken at 45 mg.", [DOSE])
    assert not result.supported and "number" in result.reason


def test_real_http_through_the_openai_integration():
    reply = "LDN is typically given at 1.5 mg to 4.5 mg per day [1]."
    with FakeOpenAIServer(reply) as server:
        settings = _settings(llm_base_url=server.url, llm_timeout_s=5, llm_max_retries=0)
        got = generate_answer(settings, make_chat_model(settings), "What dose?", _retrieved())
        assert got.text == "LDN is typically given at 1.5 mg to 4.5 mg per day. [1]"
        sent = server.requests[0]["messages"]
        assert sent[0]["role"] == "system" and "ONLY the numbered passages" in sent[0]["content"]
        assert "[1] (T0 — S)" in sent[1]["content"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_server_is_unavailable_quickly():
    settings = _settings(
        llm_base_url=f"http://127.0.0.1:{_closed_port()}/v1", llm_timeout_s=2, llm_max_retries=0
    )
    started = time.perf_counter()
    with pytest.raises(GenerationUnavailable):
        generate_answer(settings, make_chat_model(settings), "q", _retrieved())
    assert time.perf_counter() - started < 10


def test_missing_model_name_is_a_clear_error():
    with pytest.raises(GenerationUnavailable, match="LDN_LLM_MODEL"):
        make_chat_model(Settings(llm_provider="openai"))


@pytest.fixture
def gen_settings(real_settings: Settings, assistant) -> Settings:
    return real_settings.model_copy(
        update={
            "llm_provider": "openai",
            "llm_model": "fake",
            "llm_timeout_s": 5,
            "llm_max_retries": 0,
        }
    )


def test_assistant_generative_mode_end_to_end(gen_settings: Settings, assistant):
    reply = (
        "LDN is typically prescribed at low doses, often ranging from 1.5 to 4.5 "
        "milligrams [1]. It is approved by regulators for every condition [1]."
    )
    with FakeOpenAIServer(reply) as server:
        settings = gen_settings.model_copy(update={"llm_base_url": server.url})
        gen = Assistant(settings, embeddings=assistant._embeddings)
        answer = gen.ask("What dose range is LDN usually prescribed in?")
    assert answer.mode == "generative"
    assert answer.text.startswith("LDN is typically prescribed at low doses")
    assert answer.unsupported == ["It is approved by regulators for every condition."]
    assert answer.disclaimer == texts.DISCLAIMER and texts.DISCLAIMER in answer.to_markdown()
    emergency = gen.ask("I think she took an overdose of her pills")
    assert emergency.safety == "emergency" and emergency.text == texts.EMERGENCY_NOTICE


def test_assistant_falls_back_to_extractive_when_the_server_is_down(gen_settings, assistant):
    settings = gen_settings.model_copy(
        update={"llm_base_url": f"http://127.0.0.1:{_closed_port()}/v1"}
    )
    answer = Assistant(settings, embeddings=assistant._embeddings).ask(
        "What dose range is LDN usually prescribed in?"
    )
    assert answer.mode == "extractive"
    assert texts.LLM_UNAVAILABLE in answer.text
    assert "4.5" in answer.text and answer.citations
    assert texts.DISCLAIMER in answer.to_markdown()


def test_nothing_supported_becomes_the_refusal(gen_settings, assistant):
    with FakeOpenAIServer("Everything is fine with any dose you like [1].") as server:
        settings = gen_settings.model_copy(update={"llm_base_url": server.url})
        answer = Assistant(settings, embeddings=assistant._embeddings).ask(
            "What dose range is LDN usually prescribed in?"
        )
    assert answer.refused and answer.text.startswith(texts.REFUSAL)
    assert answer.unsupported == ["Everything is fine with any dose you like."]


def test_eval_reports_withheld_sentences_in_generative_mode(gen_settings, assistant, tmp_path):
    from ldn_assistant.evaluation.questions import EvalQuestion
    from ldn_assistant.evaluation.report import render_markdown
    from ldn_assistant.evaluation.run import evaluate

    reply = (
        "LDN is typically prescribed at low doses, often ranging from 1.5 to 4.5 "
        "milligrams [1]. It is approved by regulators for every condition [1]."
    )
    question = EvalQuestion(
        id="g1",
        question="What dose range is LDN usually prescribed in?",
        evidence=["often ranging from 1.5 to 4.5 milligrams"],
        facts=[r"4\.5"],
    )
    with FakeOpenAIServer(reply) as server:
        settings = gen_settings.model_copy(update={"llm_base_url": server.url})
        gen = Assistant(settings, embeddings=assistant._embeddings)
        report = evaluate([question], settings, tmp_path / "out", assistant=gen)
    summary = report["summary"]["assistant"]
    assert summary["unsupported_share"] == 0.5  # one kept, one withheld
    assert summary["citation_support"]["value"] == 1.0
    assert summary["fact_recall"]["value"] == 1.0
    report["question_file"] = "inline"
    assert "| generated sentences removed as unsupported | 0.5 |" in render_markdown(report)
