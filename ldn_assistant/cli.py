"""`ldn-assistant`: index, add, ask, eval, serve. Heavy modules load inside the commands."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ldn_assistant.settings import Settings

if TYPE_CHECKING:
    from ldn_assistant.index import IndexStore


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    for name in ("corpus_dir", "index_dir"):
        value = getattr(args, name, None)
        if value is not None:
            overrides[name] = value
    return Settings(**overrides)


def cmd_index(args: argparse.Namespace) -> int:
    from ldn_assistant.index import IndexMissing, IndexStore

    settings = _settings(args)
    store = IndexStore(settings)
    if args.stats:
        try:
            stats = store.stats()
        except IndexMissing as exc:
            print(exc, file=sys.stderr)
            return 1
        if args.json:
            print(json.dumps(stats, indent=2))
        else:
            for key, value in stats.items():
                if key == "size_on_disk_bytes":
                    value = f"{int(value) / 1e6:.2f} MB"  # type: ignore[call-overload]
                print(f"{key.replace('_', ' ')}: {value}")
        return 0
    return run_index(settings, store, rebuild=args.rebuild)


def run_index(settings: Settings, store: IndexStore, rebuild: bool = False) -> int:
    from ldn_assistant.corpus import load_corpus

    loaded = load_corpus(settings.corpus_dir, settings.max_file_mb)
    for skipped in loaded.skipped:
        print(skipped, file=sys.stderr)
    if not loaded.documents:
        print(
            f"No readable articles in {settings.corpus_dir}; the index was not changed.",
            file=sys.stderr,
        )
        return 1
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(total=total, unit="chunk", desc="Embedding", file=sys.stderr)
        bar.update(done - bar.n)

    report = store.update(loaded.documents, rebuild=rebuild, progress=progress)
    if bar is not None:
        bar.close()
    print(report.summary())
    if loaded.skipped:
        print(f"{len(loaded.skipped)} file(s) skipped (reasons above).")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from ldn_assistant.corpus import UnreadableFile, load_file
    from ldn_assistant.index import IndexStore

    settings = _settings(args)
    source = Path(args.path)
    if not source.is_file():
        print(f"{source}: no such file", file=sys.stderr)
        return 1
    try:
        load_file(source, settings.max_file_mb)
    except UnreadableFile as exc:
        print(f"Not added: {source}: {exc}", file=sys.stderr)
        return 1
    target = settings.corpus_dir / source.name
    if target.exists() and not args.force:
        print(f"{target} already exists; use --force to replace it.", file=sys.stderr)
        return 1
    settings.corpus_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    print(f"Added {target}.")
    return run_index(settings, IndexStore(settings))


def cmd_ask(args: argparse.Namespace) -> int:
    from ldn_assistant.assistant import Assistant

    settings = _settings(args)
    history = json.loads(Path(args.history).read_text()) if args.history else None
    if args.top_k is not None:
        settings = settings.model_copy(update={"top_k": args.top_k})
    answer = Assistant(settings, prepare_sentences=False).ask(" ".join(args.question), history)
    if args.json:
        print(answer.model_dump_json(indent=2))
    else:
        print(answer.to_markdown())
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from ldn_assistant.evaluation.run import main as eval_main

    return eval_main(args, _settings(args))


def cmd_serve(args: argparse.Namespace) -> int:
    from ldn_assistant.ui import serve

    settings = _settings(args)
    updates = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    serve(settings.model_copy(update=updates))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ldn-assistant",
        description="Cited answers about low-dose naltrexone from a curated corpus.",
    )
    parser.add_argument("--corpus-dir", type=Path, help="corpus folder (LDN_CORPUS_DIR)")
    parser.add_argument("--index-dir", type=Path, help="index folder (LDN_INDEX_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="build or update the index (incremental)")
    p.add_argument("--rebuild", action="store_true", help="re-embed every document")
    p.add_argument("--stats", action="store_true", help="print documents, chunks, model, size")
    p.add_argument("--json", action="store_true", help="with --stats: JSON output")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("add", help="copy an article into the corpus and index it")
    p.add_argument("path", help=".md, .txt, .html or .pdf file")
    p.add_argument("--force", action="store_true", help="replace a file of the same name")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("ask", help="answer a question from the corpus")
    p.add_argument("question", nargs="+", help="the question")
    p.add_argument("--json", action="store_true", help="print the Answer as JSON")
    p.add_argument("--history", help="JSON file of earlier turns [{role, content}, ...]")
    p.add_argument("--top-k", type=int, help="passages to use")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", help="score the assistant on a question set")
    p.add_argument("--questions", type=Path, help="JSON Lines question file")
    p.add_argument("--out", type=Path, default=Path("eval-out"), help="report folder")
    p.add_argument("--baselines", action="store_true", help="also score two baselines")
    p.add_argument("--gates", type=Path, help="gates file (default: tests/eval/gates.yaml)")
    p.add_argument("--no-plot", action="store_true", help="skip summary.png")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("serve", help="start the browser chat")
    p.add_argument("--host", help="listen address (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default 7860)")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
