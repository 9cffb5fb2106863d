"""report.json, report.md and summary.png for one evaluation run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HEADLINE = [
    ("hit@1", "hit@1"),
    ("hit@3", "hit@3"),
    ("hit@5", "hit@5"),
    ("mrr@10", "MRR@10"),
    ("fact_recall", "key-fact recall"),
    ("cited_relevant", "cited passage relevant"),
    ("citation_validity", "citation validity"),
    ("citation_support", "citation support"),
    ("correct_refusals", "correct refusals"),
    ("emergency_recall", "emergency recall"),
    ("correct_outcome", "answer/refuse/emergency correct"),
    ("disclaimer", "disclaimer present"),
]


def _fmt(entry: Any) -> str:
    if entry is None:
        return "–"
    if isinstance(entry, dict):
        value = entry.get("value")
        if value is None:
            return "–"
        text = f"{value:.3f}"
        if entry.get("ci95"):
            lo, hi = entry["ci95"]
            text += f" [{lo:.2f}, {hi:.2f}]"
        return f"{text} (n={entry['n']})"
    return f"{entry:.3f}" if isinstance(entry, float) else str(entry)


def write_report(report: dict[str, Any], out: Path, plot: bool = True) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (out / "report.md").write_text(render_markdown(report), encoding="utf-8")
    if plot:
        plot_summary(report, out / "summary.png")


def render_markdown(report: dict[str, Any]) -> str:
    s = report["summary"]
    systems = list(s)
    lines = ["# LDN Assistant evaluation", ""]
    counts = report["counts"]
    lines += [
        f"Run {report['created']} on `{report.get('question_file', '?')}`: "
        f"{counts['total']} questions ({counts['answerable']} answerable). "
        f"Embedding model `{report['settings']['embedding_model']}`, chunks "
        f"{report['settings']['chunk_size']}/{report['settings']['chunk_overlap']}, "
        f"top_k {report['settings']['top_k']}, mode "
        f"`{'extractive' if report['settings']['llm_provider'] == 'none' else 'generative'}`.",
        "",
        "Values are means with bootstrap 95% intervals in brackets. Baselines are scored on "
        "retrieval only (they compose no answer).",
        "",
        "## Summary",
        "",
        "| metric | " + " | ".join(systems) + " |",
        "|---|" + "---|" * len(systems),
    ]
    for key, label in HEADLINE:
        lines.append(
            f"| {label} | " + " | ".join(_fmt(s[name].get(key)) for name in systems) + " |"
        )
    a = s["assistant"]
    lines += [
        f"| over-refusals (answerable refused) | {a['over_refusals']} |"
        + " |" * (len(systems) - 1),
        f"| false emergencies | {a['false_emergencies']} |" + " |" * (len(systems) - 1),
        "| latency p50 / p95 (ms) | "
        + " | ".join(f"{s[n]['latency_p50_ms']} / {s[n]['latency_p95_ms']}" for n in systems)
        + " |",
    ]
    if a.get("unsupported_share") is not None and report["settings"]["llm_provider"] != "none":
        lines.append(f"| generated sentences removed as unsupported | {a['unsupported_share']} |")
    lines += ["", f"Warm-up (load index and model): {report['warm_up_s']} s.", ""]

    if report.get("gates"):
        lines += ["## Gates", "", "| metric | rule | value | result |", "|---|---|---|---|"]
        for g in report["gates"]:
            lines.append(
                f"| {g['metric']} | {g['op']} {g['threshold']} | {g['value']} | "
                f"{'pass' if g['passed'] else '**FAIL**'} |"
            )
        lines.append("")

    lines += [
        "## By category",
        "",
        "| category | n | correct outcome | hit@5 | MRR@10 | fact recall | p50 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for cat, c in report["by_category"].items():
        lines.append(
            f"| {cat} | {c['n']} | {_short(c['correct_outcome'])} | {_short(c['hit@5'])} | "
            f"{_short(c['mrr@10'])} | {_short(c['fact_recall'])} | {c['latency_p50_ms']} |"
        )
    lines += [
        "",
        "## Refusals and emergencies (rows: expected, columns: got)",
        "",
        "| expected \\ got | answer | refuse | emergency |",
        "|---|---|---|---|",
    ]
    for expect, row in report["confusion"].items():
        lines.append(f"| {expect} | {row['answer']} | {row['refuse']} | {row['emergency']} |")

    lines += ["", "## The ten worst questions", ""]
    worst = sorted(report["questions"], key=_badness, reverse=True)[:10]
    for r in worst:
        if _badness(r) <= 0:
            break
        lines.append(
            f"- **{r['id']}** ({r['category']}): {_problems(r)}  \n"
            f"  Q: {_one_line(r['question'], 160)}  \n"
            f"  A: {_one_line(r['answer_text'], 240)}"
        )
    lines.append("")
    return "\n".join(lines)


def _short(entry: dict[str, Any] | None) -> str:
    if not entry or entry.get("value") is None:
        return "–"
    return f"{entry['value']:.2f}"


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split()).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _badness(r: dict[str, Any]) -> float:
    score = 0.0
    if not r["correct_outcome"]:
        score += 3 if r["expect"] != "answer" else 2
    if r.get("fact_recall") is not None:
        score += 1 - r["fact_recall"]
    if r.get("has_evidence") and (r.get("rank") is None or r["rank"] > 5):
        score += 1
    if r.get("citation_valid") is False or (r.get("citation_support") or 1) < 1:
        score += 1
    if not r["disclaimer"]:
        score += 5
    return score


def _problems(r: dict[str, Any]) -> str:
    out = []
    if not r["correct_outcome"]:
        out.append(f"expected {r['expect']}, got {r['outcome']}")
    if r.get("fact_recall") is not None and r["fact_recall"] < 1:
        out.append(f"fact recall {r['fact_recall']:.2f}")
    if r.get("has_evidence"):
        out.append(
            "no relevant passage in top 10"
            if r.get("rank") is None
            else f"first relevant passage at rank {r['rank']}"
        )
    if r.get("citation_valid") is False:
        out.append("invalid citations")
    if not r["disclaimer"]:
        out.append("DISCLAIMER MISSING")
    return "; ".join(out)


def plot_summary(report: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = report["summary"]
    keys = [
        k
        for k, _ in HEADLINE
        if isinstance(s["assistant"].get(k), dict) and s["assistant"][k]["value"] is not None
    ]
    labels = [dict(HEADLINE)[k] for k in keys]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 5.2), gridspec_kw={"width_ratios": [1.6, 1]})
    values = [s["assistant"][k]["value"] for k in keys]
    lows = [v - (s["assistant"][k]["ci95"] or [v, v])[0] for k, v in zip(keys, values)]
    highs = [(s["assistant"][k]["ci95"] or [v, v])[1] - v for k, v in zip(keys, values)]
    ax1.barh(range(len(keys)), values, xerr=[lows, highs], color="#3b7dd8", capsize=3)
    ax1.set_yticks(range(len(keys)), labels)
    ax1.invert_yaxis()
    ax1.set_xlim(0, 1.05)
    ax1.set_title("Assistant: metrics with bootstrap 95% intervals")
    for i, v in enumerate(values):
        ax1.text(0.01, i, f"{v:.2f}", va="center", fontsize=8, color="white", weight="bold")
    ks = [1, 3, 5, 10]
    for name, style in zip(s, ["-o", "--s", ":^"]):
        ax2.plot(ks, [s[name][f"hit@{k}"]["value"] or 0 for k in ks], style, label=name)
    ax2.set_xticks(ks)
    ax2.set_ylim(0, 1.05)
    ax2.set_xlabel("k (passages)")
    ax2.set_ylabel("hit@k")
    ax2.set_title("Retrieval: hit@k")
    ax2.legend(loc="lower right")
    ax2.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
