"""The config's schema: a pydantic section for each stage (and for the brand, paths and base model),
with every key's type, bounds and default, and the checks that span keys.

`brandtone.config` reads `config.yaml` and the command-line overrides into it; `brandtone.config_help`
shows it in `--help`. Each key is described once, by its comment in `config.yaml`.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, Optional, Union, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


# A number as the YAML file wrote it. brandtone.config reads every number as one of these, so that
# Section gives a text field the text back (`revision: 0123456` is not 42798).
class _WrittenInt(int):
    written: str


class _WrittenFloat(float):
    written: str


def written_number(value: Union[int, float], text: str) -> Union[int, float]:
    number = (_WrittenInt if isinstance(value, int) else _WrittenFloat)(value)
    number.written = text
    return number


class Section(BaseModel):
    # allow_inf_nan=False: every float setting is finite (inf epochs or an inf delay would pass the bounds below)
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_as_written(cls, value: Any, info) -> Any:
        """A number where the schema wants text is the text as written (`revision: 0123456`)."""
        if isinstance(value, (_WrittenInt, _WrittenFloat)):
            options = get_args(cls.model_fields[info.field_name].annotation) or (cls.model_fields[info.field_name].annotation,)
            if any(option in (str, Path) for option in options):
                return value.written
        return value


# --------------------------------------------------------------------------- sections


class BrandConfig(Section):
    name: str
    website: Optional[str] = None
    facebook_pages: list[str] = Field(default_factory=list)
    instagram_usernames: list[str] = Field(default_factory=list)


class PathsConfig(Section):
    files_dir: Path = Path("files")
    cleaned_dir: Path = Path("cleaned_files")
    dataset_dir: Path = Path("dataset")
    checkpoints_dir: Path = Path("outputs/checkpoints")
    adapter_dir: Path = Path("outputs/adapter")
    merged_dir: Path = Path("outputs/merged")
    eval_dir: Path = Path("eval")


class ScrapeConfig(Section):
    # website crawl
    browser_path: Optional[Path] = None
    user_agent: str = "BrandToneBot/0.1 (brand-tone corpus builder; polite crawler)"
    max_pages: int = Field(200, ge=1)
    max_depth: int = Field(5, ge=0)
    delay_seconds: float = Field(1.0, ge=0)
    max_crawl_delay_seconds: float = Field(5.0, ge=0)
    page_timeout_seconds: float = Field(20.0, gt=0)
    settle_ms: int = Field(500, ge=0)
    max_retries: int = Field(2, ge=0)
    max_page_bytes: int = Field(5_000_000, ge=1000)
    respect_robots: bool = True
    # social posts through Apify
    apify_api_url: str = "https://api.apify.com"
    facebook_actor: str = "apify/facebook-posts-scraper"
    instagram_actor: str = "apify/instagram-scraper"
    results_limit: int = Field(500, ge=1)
    only_posts_newer_than: Optional[str] = None
    actor_timeout_seconds: int = Field(900, ge=10)
    import_dir: Optional[Path] = None

    @field_validator("import_dir", "browser_path")
    @classmethod
    def _must_exist(cls, value: Optional[Path]) -> Optional[Path]:
        if value is not None and not value.exists():
            raise ValueError(f"path does not exist: {value}")
        return value

    @field_validator("only_posts_newer_than", mode="before")
    @classmethod
    def _date_as_text(cls, value: Any) -> Any:
        return value.isoformat() if isinstance(value, (date, datetime)) else value  # YAML reads 2024-01-01 as a date


class CleanConfig(Section):
    min_chars: int = Field(20, ge=0)
    max_chars: int = Field(20_000, ge=1)
    keep_collab_posts: bool = False
    strip_trailing_hashtags: bool = False
    strip_mentions: bool = False
    remove_urls: bool = True
    phone_region: str = Field("PK", min_length=2, max_length=2)
    pii_placeholder: str = ""
    near_duplicate_threshold: float = Field(0.8, ge=0.5, le=0.99)
    near_duplicate_containment: float = Field(0.9, ge=0.5, le=1)
    near_duplicate_containment_min_distinctive: int = Field(15, ge=5)
    near_duplicate_frequent_texts: int = Field(5, ge=2)
    listing_page_min_covered: float = Field(0.5, gt=0, le=1)
    boilerplate_min_page_share: float = Field(0.5, gt=0, le=1)
    boilerplate_block_min_page_share: float = Field(0.2, gt=0, le=1)
    boilerplate_block_min_lines: int = Field(3, ge=2)
    workers: Optional[int] = Field(None, ge=1)
    keep_languages: list[Literal["latin", "roman_urdu", "arabic", "mixed", "other"]] = Field(
        default_factory=lambda: ["latin", "roman_urdu", "arabic", "mixed", "other"]
    )

    @field_validator("phone_region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        import phonenumbers

        if value.upper() not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError("not a region phonenumbers knows: use an ISO 3166 code such as PK, IN, GB or US")
        return value.upper()

    @model_validator(mode="after")
    def _length_range(self) -> "CleanConfig":
        if self.max_chars <= self.min_chars:
            raise ValueError(f"max_chars ({self.max_chars}) must be greater than min_chars ({self.min_chars})")
        return self


class DatasetConfig(Section):
    test_size: float = Field(0.1, gt=0, lt=1)
    seed: int = 42
    stratify_by_source: bool = True
    push_to_hub: bool = False
    hub_repo_id: Optional[str] = None
    requests: Literal["keywords", "model"] = "keywords"
    request_max_shared_words: int = Field(4, ge=1)


class ModelConfig(Section):
    base: str
    revision: Optional[str] = None
    trust_remote_code: bool = False


class FinetuneConfig(Section):
    device: Literal["auto", "cuda", "cpu"] = "auto"
    load_in_4bit: bool = True
    bnb_4bit_quant_type: Literal["nf4", "fp4"] = "nf4"
    bnb_4bit_use_double_quant: bool = True
    compute_dtype: Literal["auto", "bf16", "fp16", "fp32"] = "auto"
    lora_r: int = Field(16, ge=1)
    lora_alpha: int = Field(32, ge=1)
    lora_dropout: float = Field(0.0, ge=0, lt=1)
    lora_target_modules: Union[Literal["all-linear"], list[str]] = "all-linear"
    num_train_epochs: float = Field(3, gt=0)
    learning_rate: float = Field(2e-4, gt=0)
    lr_scheduler_type: str = "cosine"
    warmup_steps: int = Field(0, ge=0)
    weight_decay: float = Field(0.0, ge=0)
    max_grad_norm: float = Field(1.0, gt=0)
    max_length: int = Field(2048, ge=16)
    packing: bool = True
    tokens_per_batch: Optional[int] = Field(None, ge=16)
    memory_limit_gib: Optional[float] = Field(None, gt=0)
    gradient_accumulation_steps: int = Field(1, ge=1)
    gradient_checkpointing: Union[Literal["auto"], bool] = "auto"
    optim: str = "auto"
    attn_implementation: Literal["auto", "varlen", "sdpa", "eager", "flash_attention_2", "flash_attention_3", "flex_attention"] = "auto"
    use_liger_kernel: Union[Literal["auto"], bool] = "auto"
    fused_lora: Union[Literal["auto"], bool] = "auto"
    fused_lora_groups: bool = False
    compile: Union[Literal["auto"], bool] = "auto"
    save_steps: int = Field(50, ge=1)
    save_total_limit: int = Field(2, ge=1)
    logging_steps: int = Field(5, ge=1)
    report_to: list[Literal["tensorboard", "wandb", "mlflow", "trackio", "none"]] = Field(default_factory=lambda: ["tensorboard"])
    early_stopping_patience: Optional[int] = Field(None, ge=1)
    validation_share: float = Field(0.1, gt=0, lt=0.5)
    seed: int = 42
    push_to_hub: bool = False
    hub_repo_id: Optional[str] = None
    hub_private: bool = True
    formats: list[Literal["continuation", "chat"]] = Field(default_factory=lambda: ["continuation", "chat"])

    @field_validator("formats", mode="before")
    @classmethod
    def _one_or_both_formats(cls, value: Any) -> Any:
        value = [value] if isinstance(value, str) else value
        if isinstance(value, list) and not value:
            raise ValueError("train at least one format: [continuation], [chat] or [continuation, chat]")
        if isinstance(value, list) and len(set(map(str, value))) < len(value):
            raise ValueError("a format is listed twice: list each once")
        return value

    @field_validator("report_to", mode="before")
    @classmethod
    def _one_or_more_trackers(cls, value: Any) -> Any:
        value = [value] if isinstance(value, str) else value
        if isinstance(value, list) and "none" in value and len(set(value)) > 1:
            raise ValueError("none cannot be combined with a tracker: use [none] or a list of trackers")
        return list(dict.fromkeys(value)) if isinstance(value, list) else value


class MergeConfig(Section):
    dtype: Literal["auto", "bf16", "fp16", "fp32"] = "auto"
    max_shard_size: str = "2GB"
    parity_texts: int = Field(8, ge=1)
    parity_max_tokens: int = Field(256, ge=2)
    parity_noise_factor: float = Field(2.0, ge=1)
    parity_max_logit_diff: float = Field(0.01, gt=0)
    parity_max_mean_kl: float = Field(1e-5, gt=0)
    parity_effect_tolerance: float = Field(0.05, gt=0, lt=1)
    push_to_hub: bool = False
    hub_repo_id: Optional[str] = None
    hub_private: bool = True
    gguf: Optional[Literal["f16", "q8_0"]] = None


class EvaluateConfig(Section):
    tuned_model: Literal["merged", "adapter"] = "merged"
    device: Literal["auto", "cuda", "cpu"] = "auto"
    dtype: Literal["auto", "bf16", "fp16", "fp32"] = "auto"
    min_tokens: int = Field(16, ge=2)
    max_texts: Optional[int] = Field(None, ge=1)
    batch_tokens: Optional[int] = Field(None, ge=64)
    max_new_tokens_cap: int = Field(512, ge=1)
    do_sample: bool = False
    temperature: float = Field(0.7, gt=0)
    top_p: float = Field(0.9, gt=0, le=1)
    sample_seeds: list[int] = Field(default_factory=lambda: [0])
    bootstrap_samples: int = Field(1000, ge=100)
    confidence: float = Field(0.95, gt=0, lt=1)
    samples_in_report: int = Field(5, ge=0)
    seed: int = 0
    write_do_sample: bool = True
    write_temperature: float = Field(0.7, gt=0)
    write_top_p: float = Field(0.9, gt=0, le=1)
    write_repetition_penalty: float = Field(1.1, ge=1)
    write_max_new_tokens: int = Field(256, ge=1)
    serve_host: str = Field("127.0.0.1", min_length=1)
    serve_port: int = Field(7860, ge=0, le=65535)
    fewshot_examples: int = Field(4, ge=0)
    two_sample_min_requests: int = Field(20, ge=5)
    control_dataset: Optional[Path] = None


class Config(Section):
    brand: BrandConfig
    paths: PathsConfig = Field(default_factory=PathsConfig)
    scrape: ScrapeConfig = Field(default_factory=ScrapeConfig)
    clean: CleanConfig = Field(default_factory=CleanConfig)
    dataset: DatasetConfig = Field(default_factory=DatasetConfig)
    model: ModelConfig
    finetune: FinetuneConfig = Field(default_factory=FinetuneConfig)
    merge: MergeConfig = Field(default_factory=MergeConfig)
    evaluate: EvaluateConfig = Field(default_factory=EvaluateConfig)

    @model_validator(mode="after")
    def _hub_repo_when_pushing(self) -> "Config":
        for name in ("dataset", "finetune", "merge"):
            section = getattr(self, name)
            if section.push_to_hub and not section.hub_repo_id:
                raise ValueError(f"{name}.hub_repo_id: required when {name}.push_to_hub is true")
        return self

    def section_dict(self, *names: str) -> dict[str, Any]:
        """The named sections as plain JSON-ready data (for manifests and dry runs)."""
        data = self.model_dump(mode="json")
        return {name: data[name] for name in names}
