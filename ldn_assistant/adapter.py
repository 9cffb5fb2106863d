"""A query adapter: a linear map of question embeddings, learnt from questions about this corpus.

all-MiniLM-L6-v2 does not connect a clinician's words with the articles' ("put up with" and
"tolerated", "keeps her awake" and "insomnia"). `corpus/retrieval_examples.jsonl` holds
questions each passage answers, written for the purpose in many registers (formal, shorthand,
colloquial), each with a verbatim quote of the sentence that answers it. From them a matrix `W`
is learnt so that `normalize(q @ W)` lands near the vector of the passage holding the quote:
a softmax over all passages, with `W` kept close to the identity (`regularization`), so that
what the model already gets right is not unlearnt. Only the dense *ranking* uses it (mixed
with the model's own cosine: `adapter_share`); the similarities that the refusal floor, the
sentence scores and the safety classifier read stay those of the model itself. The examples'
question vectors are kept too (`ExampleBank`): the examples nearest a question vote for the
sentences holding their quotes (`compose_extractive`).

This is a linear "embedding adapter" on frozen vectors, not fine-tuning: training takes about
25 s here with 5,573 examples (most of it encoding the questions) and the result is 384 x 384
numbers kept beside the index. Fine-tuning the whole model on the first 1,154 of the
questions (six minutes here) ranked about as well by the dense score alone (mean MRR@10 over
the seven evaluation sets 0.81, the adapter on the same questions 0.80), but it moves every
cosine that the refusal and safety thresholds were calibrated on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldn_assistant.evaluation.metrics import normalize  # the phrase matching of evidence

if TYPE_CHECKING:
    import numpy as np

    from ldn_assistant.models import Chunk

# Chosen by 5-fold cross-validation on the examples themselves (MRR@10 of held-out questions,
# dense ranking alone). On the first 2,799: 0.39 without the adapter; 0.64 at 0.01 and 200 steps,
# 0.645 at 0.003 (0.61 at 0.03, 0.55 at 0.1), and the stronger one was kept. On 4,646: 0.694 at
# 0.01, 0.711 at 0.003 (0.715 with 400 steps): with more examples, the weaker regularization.
REGULARIZATION = 0.003
STEPS = 200
LEARNING_RATE = 1e-3
# Softmax temperature: cosines lie in [-1, 1], so they are scaled up before the softmax.
SCALE = 20.0


@dataclass(frozen=True)
class RetrievalExample:
    question: str
    doc: str  # the article's id
    quote: str  # verbatim words of the sentence that answers the question


@dataclass
class ExampleBank:
    """The adapter and the examples it was learnt from: the ranking maps questions with
    `weights`; the sentence choice reads each example question's vector (the model's own) and
    its quote."""

    weights: np.ndarray[Any, Any]  # the adapter, dim x dim
    questions: np.ndarray[Any, Any]  # n x dim, unit vectors
    quotes: list[str]

    def __post_init__(self) -> None:
        self.normalized_quotes = [normalize(q) for q in self.quotes]

    def neighbours(self, vector: np.ndarray[Any, Any], k: int) -> list[tuple[str, float]]:
        """The `k` example questions closest to `vector`: their normalized quote and cosine."""
        import numpy as np

        from ldn_assistant.embeddings import similarities

        sims = similarities(self.questions, vector)
        k = min(k, len(sims))
        if k <= 0:
            return []
        top = np.argpartition(-sims, k - 1)[:k]
        return [(self.normalized_quotes[i], float(sims[i])) for i in top]


def load_examples(path: Path) -> list[RetrievalExample]:
    """The examples of a JSON Lines file; lines that do not parse or miss a field are skipped.
    A missing file gives no examples (and no adapter)."""
    if not path.is_file():
        return []
    examples = []
    # A line that is not UTF-8 does not parse and is skipped, like any other bad line.
    for line in path.read_text("utf-8", errors="replace").splitlines():
        try:
            row = json.loads(line)
            examples.append(RetrievalExample(str(row["question"]), str(row["doc"]), row["quote"]))
        except (ValueError, KeyError, TypeError):
            continue
    return [e for e in examples if e.question.strip() and isinstance(e.quote, str) and e.quote]


def example_targets(examples: list[RetrievalExample], chunks: list[Chunk]) -> list[int | None]:
    """For each example, the position of the passage of its article holding its quote (None
    when no passage does: the article changed, or the chunks are cut elsewhere)."""
    texts = [normalize(c.text) for c in chunks]
    targets: list[int | None] = []
    for example in examples:
        quote = normalize(example.quote)
        targets.append(
            next(
                (i for i, c in enumerate(chunks) if c.doc_id == example.doc and quote in texts[i]),
                None,
            )
        )
    return targets


def train_adapter(
    questions: np.ndarray[Any, Any],
    targets: list[int],
    passages: np.ndarray[Any, Any],
    regularization: float = REGULARIZATION,
    steps: int = STEPS,
) -> np.ndarray[Any, Any]:
    """`W` (dim x dim) minimising the cross-entropy of each question's passage among all
    passages, plus `regularization` times the squared distance of `W` from the identity."""
    import numpy as np
    import torch

    torch.manual_seed(0)
    dim = passages.shape[1]
    eye = torch.eye(dim)
    w = torch.nn.Parameter(eye.clone())
    x = torch.as_tensor(np.asarray(questions, dtype=np.float32))
    c = torch.as_tensor(np.asarray(passages, dtype=np.float32))
    y = torch.as_tensor(targets)
    optimizer = torch.optim.Adam([w], lr=LEARNING_RATE)
    for _ in range(steps):
        q = torch.nn.functional.normalize(x @ w, dim=-1)
        loss = torch.nn.functional.cross_entropy(q @ c.T * SCALE, y)
        loss = loss + regularization * ((w - eye) ** 2).sum()
        optimizer.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        optimizer.step()
    return w.detach().numpy().astype(np.float32)  # type: ignore[no-any-return]


def adapt(vector: np.ndarray[Any, Any], weights: np.ndarray[Any, Any] | None) -> Any:
    """`normalize(vector @ W)`; the vector itself when there is no adapter."""
    import numpy as np

    if weights is None:
        return vector
    out = vector @ weights
    return out / max(float(np.linalg.norm(out)), 1e-12)
