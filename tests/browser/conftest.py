"""A real server (subprocess, 127.0.0.1, free port) on the real corpus, and Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ldn_assistant.settings import Settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]
SHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(real_settings: Settings, assistant, tmp_path_factory) -> Iterator[dict[str, object]]:
    """`ldn-assistant serve` with the session's prebuilt index (the `assistant` fixture)."""
    work = tmp_path_factory.mktemp("server")
    port = _free_port()
    env = {
        **os.environ,
        "LDN_INDEX_DIR": str(real_settings.index_dir),
        "LDN_CORPUS_DIR": str(real_settings.corpus_dir),
        "LDN_PORT": str(port),
        "LDN_FEEDBACK_FILE": str(work / "feedback.jsonl"),
        "LDN_REVIEW_DIR": str(work / "review"),
        "HF_HUB_OFFLINE": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ldn_assistant.cli", "serve"],
        env=env, cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    out = proc.stdout.read() if proc.stdout else ""
                    raise RuntimeError(f"server did not start:\n{out}") from None
                time.sleep(0.2)
        yield {"url": url, "work": work, "startup_s": time.perf_counter() - started}
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (.ci/run installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
