"""`ldn-assistant eval`: run every question through `Assistant.ask`, score, report, gate.

Steps:
  1. load the question file (bad lines are reported with their number and skipped);
  2. ask every question (with its history) and write `responses.jsonl` as answers arrive;
  3. rank passages for retrieval metrics (the same search `ask` runs, to depth 10);
  4. optionally score the two baselines on the same questions;
  5. aggregate (overall, by category, bootstrap intervals) and write report.json/.md/.png;
  6. check the gates; exit 1 when one fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from ldn_assistant.evaluation import metrics as m
from ldn_assistant.evaluation.questions import DEFAULT_QUESTIONS, EvalQuestion, load_questions
from ldn_assistant.settings import Settings

DEFAULT_GATES = Path("tests/eval/gates.yaml")
RETRIEVAL_DEPTH = 10
KS = (1, 3, 5, 10)


def main(args: argparse.Namespace, settings: Settings) -> int:
    questions_path: Path = args.questions or DEFAULT_QUESTIONS
    questions, errors = load_questions(questions_path)
    for error in errors:
        print(f"{questions_path}: {error}", file=sys.stderr)
    if not questions:
        print(f"No usable questions in {questions_path}.", file=sys.stderr)
        return 2
    report = evaluate(
        questions, settings, args.out, baselines=args.baselines, progress=sys.stderr.isatty()
    )
    report["question_file"] = str(questions_path)
    report["question_errors"] = errors
    gates_path: Path = args.gates or DEFAULT_GATES
    report["gates"] = check_gates(report["summary"]["assistant"], gates_path)
    from ldn_assistant.evaluation.report import write_report

    write_report(report, args.out, plot=not args.no_plot)
    print(f"Report: {args.out / 'report.md'}")
    failed = [g for g in report["gates"] if not g["passed"]]
    for g in report["gates"]:
        print(
            f"gate {g['metric']} {g['op']} {g['threshold']}: {g['value']} "
            f"{'ok' if g['passed'] else 'FAILED'}"
        )
    return 1 if failed else 0


def evaluate(
    questions: list[EvalQuestion],
    settings: Settings,
    out: Path,
    baselines: bool = False,
    progress: bool = False,
    assistant: Any = None,
) -> dict[str, Any]:
    from ldn_assistant.assistant import Assistant
    from ldn_assistant.index import IndexStore

    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    assistant = assistant or Assistant(settings)
    assistant.warm_up()
    warm_up_s = time.perf_counter() - t0

    rows: list[dict[str, Any]] = []
    responses = out / "responses.jsonl"
    with open(responses, "w", encoding="utf-8") as fh:
        for i, q in enumerate(questions, 1):
            started = time.perf_counter()
            answer = assistant.ask(q.question, q.history_dicts())
            latency = (time.perf_counter() - started) * 1000
            fh.write(
                json.dumps(
                    {
                        "id": q.id,
                        "latency_ms": round(latency, 2),
                        "answer": answer.model_dump(mode="json"),
                    }
                )
                + "\n"
            )
            fh.flush()
            row = m.score_answer(q, answer, latency)
            row["question"] = q.question[:300]
            row["answer_text"] = answer.text
            row["sentences"] = _count_sentences(answer)
            rows.append(row)
            if progress:
                print(f"\r{i}/{len(questions)} questions", end="", file=sys.stderr)
    if progress:
        print(file=sys.stderr)

    # Retrieval ranks to depth 10 with the very search `ask` runs.
    for q, row in zip(questions, rows):
        if q.evidence:
            _, _, ranked = assistant.search(q.question, q.history_dicts(), RETRIEVAL_DEPTH)
            row["rank"] = m.first_relevant_rank([rc.chunk.text for rc in ranked], q.evidence)

    summary = {"assistant": summarize(rows)}
    per_category = {
        cat: summarize([r for r in rows if r["category"] == cat])
        for cat in sorted({r["category"] for r in rows})
    }
    baseline_rows: dict[str, list[dict[str, Any]]] = {}
    if baselines:
        from ldn_assistant.corpus import load_corpus
        from ldn_assistant.evaluation.baselines import build_baselines

        documents = load_corpus(settings.corpus_dir, settings.max_file_mb).documents
        for name, retriever in build_baselines(assistant, documents).items():
            brows = []
            for q in questions:
                if not q.evidence:
                    continue
                started = time.perf_counter()
                passages = retriever.retrieve(q.question, RETRIEVAL_DEPTH)
                brows.append(
                    {
                        "id": q.id,
                        "category": q.category,
                        "has_evidence": True,
                        "rank": m.first_relevant_rank(passages, q.evidence),
                        "latency_ms": (time.perf_counter() - started) * 1000,
                    }
                )
            baseline_rows[name] = brows
            summary[name] = summarize(brows, retrieval_only=True)
            if hasattr(retriever, "close"):
                retriever.close()

    store = IndexStore(settings)
    return {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "settings": json.loads(settings.model_dump_json(exclude={"llm_api_key"})),
        "manifest": {k: v for k, v in (store.read_manifest() or {}).items() if k != "documents"},
        "documents": sorted((store.read_manifest() or {}).get("documents", {})),
        "warm_up_s": round(warm_up_s, 2),
        "counts": _counts(questions),
        "summary": summary,
        "by_category": per_category,
        "confusion": confusion(rows),
        "questions": rows,
        "baseline_questions": baseline_rows,
    }


def _count_sentences(answer: Any) -> int:
    return len(m.cited_pairs(answer.text))


def _counts(questions: list[EvalQuestion]) -> dict[str, Any]:
    by_cat: dict[str, int] = {}
    by_expect: dict[str, int] = {}
    for q in questions:
        by_cat[q.category] = by_cat.get(q.category, 0) + 1
        by_expect[q.expect] = by_expect.get(q.expect, 0) + 1
    return {
        "total": len(questions),
        "answerable": sum(q.answerable for q in questions),
        "by_category": by_cat,
        "by_expect": by_expect,
    }


def _metric(values: list[float]) -> dict[str, Any]:
    mean = m.mean(values)
    ci = m.bootstrap_ci(values)
    return {
        "value": None if mean is None else round(mean, 4),
        "n": len(values),
        "ci95": None if ci is None else [round(ci[0], 4), round(ci[1], 4)],
    }


def summarize(rows: list[dict[str, Any]], retrieval_only: bool = False) -> dict[str, Any]:
    ret = [r for r in rows if r.get("has_evidence")]
    out: dict[str, Any] = {"n": len(rows)}
    for k in KS:
        out[f"hit@{k}"] = _metric([m.hit_at(r["rank"], k) for r in ret])
    out["mrr@10"] = _metric([m.reciprocal_rank(r["rank"], 10) for r in ret])
    lat = [r["latency_ms"] for r in rows if r.get("latency_ms") is not None]
    out["latency_p50_ms"] = None if not lat else round(m.percentile(lat, 50) or 0, 2)
    out["latency_p95_ms"] = None if not lat else round(m.percentile(lat, 95) or 0, 2)
    if retrieval_only:
        return out
    answerable = [r for r in rows if r["expect"] == "answer"]
    refusable = [r for r in rows if r["expect"] == "refuse"]
    emergencies = [r for r in rows if r["expect"] == "emergency"]
    out["fact_recall"] = _metric(
        [r["fact_recall"] for r in answerable if r["fact_recall"] is not None]
    )
    out["cited_relevant"] = _metric(
        [
            float(r["cited_relevant"])
            for r in answerable
            if r["cited_relevant"] is not None and r["outcome"] == "answer"
        ]
    )
    out["citation_validity"] = _metric(
        [float(r["citation_valid"]) for r in rows if r["citation_valid"] is not None]
    )
    out["citation_support"] = _metric(
        [r["citation_support"] for r in rows if r["citation_support"] is not None]
    )
    out["correct_refusals"] = _metric([float(r["outcome"] == "refuse") for r in refusable])
    out["over_refusals"] = sum(1 for r in answerable if r["outcome"] == "refuse")
    out["emergency_recall"] = _metric([float(r["outcome"] == "emergency") for r in emergencies])
    out["false_emergencies"] = sum(
        1 for r in rows if r["expect"] != "emergency" and r["outcome"] == "emergency"
    )
    out["correct_outcome"] = _metric([float(r["correct_outcome"]) for r in rows])
    out["disclaimer"] = _metric([float(r["disclaimer"]) for r in rows])
    kept = sum(r.get("sentences", 0) for r in rows)
    removed = sum(r.get("unsupported", 0) for r in rows)
    out["unsupported_share"] = round(removed / (kept + removed), 4) if kept + removed else None
    return out


def confusion(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for r in rows:
        table.setdefault(r["expect"], {"answer": 0, "refuse": 0, "emergency": 0})
        table[r["expect"]][r["outcome"]] += 1
    return table


def check_gates(summary: dict[str, Any], path: Path) -> list[dict[str, Any]]:
    """Gates file: `metric: {min: x}` or `metric: {max: x}` per line (YAML)."""
    import yaml

    if not path.is_file():
        return []
    gates = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    results = []
    for metric, rule in gates.items():
        raw = summary.get(metric)
        value = raw.get("value") if isinstance(raw, dict) else raw
        for op, threshold in rule.items():
            if value is None:
                passed = False
            elif op == "min":
                passed = value >= threshold
            elif op == "max":
                passed = value <= threshold
            else:
                raise ValueError(f"{path}: gate {metric}: unknown rule {op!r} (use min or max)")
            results.append(
                {
                    "metric": metric,
                    "op": ">=" if op == "min" else "<=",
                    "threshold": threshold,
                    "value": value,
                    "passed": passed,
                }
            )
    return results
