"""LDN Assistant: cited, extractive answers about low-dose naltrexone from a curated corpus.

Names load on first use so that `import ldn_assistant` (and `ldn-assistant --help`) stays
light: torch and Chroma are imported only when something needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Answer", "Assistant", "Citation", "Settings"]

if TYPE_CHECKING:
    from ldn_assistant.assistant import Assistant
    from ldn_assistant.models import Answer, Citation
    from ldn_assistant.settings import Settings


def __getattr__(name: str) -> Any:
    if name == "Assistant":
        from ldn_assistant.assistant import Assistant

        return Assistant
    if name in ("Answer", "Citation"):
        from ldn_assistant import models

        return getattr(models, name)
    if name == "Settings":
        from ldn_assistant.settings import Settings

        return Settings
    raise AttributeError(f"module 'ldn_assistant' has no attribute {name!r}")
