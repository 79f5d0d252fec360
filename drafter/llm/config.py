"""Settings of the llm backend, from keyword overrides, the environment, `.env` and an optional TOML file.

Precedence: overrides > environment > `.env` > TOML file > preset > defaults. The key is a SecretStr: it is never
printed, logged, cached or recorded.

Presets (`DRAFTER_PRESET=…`, or `preset = "…"` in the TOML file) fill in base URL, a model and a mode when they are
not given; anything set explicitly wins.

| preset    | OPENAI_BASE_URL                                        | DRAFTER_MODEL (example) | DRAFTER_MODE | note |
|-----------|--------------------------------------------------------|-------------------------|--------------|------|
| openai    | https://api.openai.com/v1                              | gpt-4o-mini             | tools | |
| deepseek  | https://api.deepseek.com/v1                            | deepseek-chat           | tools | never json_schema (rejected); use json/md_json for deepseek-reasoner |
| dashscope | https://dashscope.aliyuncs.com/compatible-mode/v1      | qwen-plus               | tools | Qwen, 通义 compatible mode |
| ollama    | http://localhost:11434/v1                              | qwen2.5:14b             | json  | key may be any string, e.g. `ollama`; raise num_ctx for long reports |
| vllm      | http://localhost:8000/v1                               | Qwen/Qwen2.5-14B-Instruct | tools | start vLLM with `--enable-auto-tool-choice --tool-call-parser hermes`, else json |

A TOML config file uses the field names of LLMSettings (`model = "qwen-plus"`, `mode = "json"`, `base_url = …`,
`chunk_tokens = 8000`); an unknown key is an error. Unrelated variables in `.env` are ignored.
"""

from __future__ import annotations

import os
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from drafter.errors import DrafterError
from drafter.llm.cache import AnswerCache
from drafter.models import Usage

if TYPE_CHECKING:
    from drafter.llm.client import Endpoint

Mode = Literal["tools", "json", "md_json"]

PRESETS: dict[str, dict[str, str]] = {
    "openai": {"base_url": "https://api.openai.com/v1", "model": "gpt-4o-mini", "mode": "tools"},
    "deepseek": {"base_url": "https://api.deepseek.com/v1", "model": "deepseek-chat", "mode": "tools"},
    "dashscope": {"base_url": "https://dashscope.aliyuncs.com/compatible-mode/v1", "model": "qwen-plus", "mode": "tools"},
    "ollama": {"base_url": "http://localhost:11434/v1", "model": "qwen2.5:14b", "mode": "json"},
    "vllm": {"base_url": "http://localhost:8000/v1", "model": "Qwen/Qwen2.5-14B-Instruct", "mode": "tools"},
}


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "drafter"


class LLMSettings(BaseSettings):
    # Each field reads its documented environment variable (its alias); TOML keys and overrides use the field name.
    # The prefix keeps by-name lookups off bare variables such as MODEL or TIMEOUT that other tools may set.
    model_config = SettingsConfigDict(
        env_prefix="DRAFTER_", env_file=".env", env_file_encoding="utf-8",
        extra="ignore",  # a project's .env holds other tools' variables too; our own keys are checked in load_settings
        validate_by_name=True, validate_by_alias=True,
    )

    api_key: SecretStr | None = Field(None, validation_alias="OPENAI_API_KEY")
    base_url: str | None = Field(None, validation_alias="OPENAI_BASE_URL")
    model: str | None = Field(None, validation_alias="DRAFTER_MODEL")
    mode: Mode | None = Field(None, validation_alias="DRAFTER_MODE")
    preset: str | None = Field(None, validation_alias="DRAFTER_PRESET")
    cache_dir: Path = Field(default_factory=default_cache_dir, validation_alias="DRAFTER_CACHE_DIR")
    # Seconds of silence from the server before an attempt is abandoned (a slow local model on a long report may
    # need more: raise it).
    timeout: float = Field(100.0, gt=0, validation_alias="DRAFTER_TIMEOUT")
    # Seconds one request may take in all, retries and waits included: a server trickling a byte a second is cut off.
    deadline: float = Field(110.0, gt=0, validation_alias="DRAFTER_DEADLINE")
    # Transport retries (429, 5xx, 408/409, connection errors, timeouts): total attempts per request, and the backoff.
    http_attempts: int = Field(5, ge=1, le=20, validation_alias="DRAFTER_HTTP_ATTEMPTS")
    backoff_initial: float = Field(1.0, ge=0, validation_alias="DRAFTER_BACKOFF_INITIAL")
    backoff_max: float = Field(30.0, ge=0, validation_alias="DRAFTER_BACKOFF_MAX")
    # Retry-After is honoured up to this many seconds; a longer wait fails at once, naming it.
    retry_after_max: float = Field(60.0, ge=0, validation_alias="DRAFTER_RETRY_AFTER_MAX")
    # After this many connection failures in a row (refused, reset, timed out) nothing more is sent this run; 0: never.
    breaker_failures: int = Field(3, ge=0, validation_alias="DRAFTER_BREAKER_FAILURES")
    # Requests in flight at once, across the reports of a run and the chunks of a long report.
    concurrency: int = Field(8, ge=1, le=256, validation_alias="DRAFTER_CONCURRENCY")
    # The provider's limits, requests and estimated tokens per minute; None: no limit of ours.
    rpm: float | None = Field(None, gt=0, validation_alias="DRAFTER_RPM")
    tpm: float | None = Field(None, gt=0, validation_alias="DRAFTER_TPM")
    # A report longer than this is refused before any request (an 8 MB file is rarely one report); 0: no limit.
    max_input_chars: int = Field(300_000, ge=0, validation_alias="DRAFTER_MAX_INPUT_CHARS")
    # Provider batch mode (--batch-api): seconds between status polls, and the longest wait for a batch.
    batch_poll: float = Field(10.0, gt=0, validation_alias="DRAFTER_BATCH_POLL")
    batch_wait: float = Field(86_400.0, gt=0, validation_alias="DRAFTER_BATCH_WAIT")
    # Validation re-asks after the first answer (grounding or schema errors): attempts = reasks + 1.
    reasks: int = Field(2, ge=0, le=10, validation_alias="DRAFTER_REASKS")
    # Estimated tokens of report text per request; longer reports are split at section boundaries.
    chunk_tokens: int = Field(12_000, ge=500, validation_alias="DRAFTER_CHUNK_TOKENS")
    max_output_tokens: int | None = Field(None, ge=256, validation_alias="DRAFTER_MAX_OUTPUT_TOKENS")
    temperature: float = Field(0.0, ge=0, le=2, validation_alias="DRAFTER_TEMPERATURE")
    # Every request and answer is logged as JSON lines (drafter.llm.log); default folder: <cache_dir>/log.
    log: bool = Field(True, validation_alias="DRAFTER_LOG")
    log_dir: Path | None = Field(None, validation_alias="DRAFTER_LOG_DIR")

    @property
    def request_log_dir(self) -> Path | None:
        if not self.log:
            return None
        return self.log_dir or self.cache_dir / "log"

    @field_validator("preset")
    @classmethod
    def _known_preset(cls, value: str | None) -> str | None:
        if value is not None and value not in PRESETS:
            raise ValueError(f"unknown preset {value!r} (choose {', '.join(PRESETS)})")
        return value

    @field_validator("mode", mode="before")
    @classmethod
    def _lower_mode(cls, value: Any) -> Any:
        return value.strip().lower().replace("-", "_") if isinstance(value, str) else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources = [init_settings, env_settings, dotenv_settings]
        toml_file = settings_cls.model_config.get("toml_file")
        if toml_file:  # set per call by load_settings; a class-level default would silently read a stray file
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)


def load_settings(config_file: Path | None = None, **overrides: Any) -> LLMSettings:
    """Settings for one run; a missing key or model, or a bad value, is one DrafterError line.

    `overrides` with value None are ignored, so CLI options can be passed through as they are."""
    given = {k: v for k, v in overrides.items() if v is not None}
    if config_file is not None and not Path(config_file).is_file():
        raise DrafterError(f"config file not found: {config_file}")
    keys = set(given)
    if config_file is not None:
        try:
            keys |= set(tomllib.loads(Path(config_file).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise DrafterError(f"llm settings: cannot read {config_file}: {exc}") from None
    unknown = sorted(keys - set(LLMSettings.model_fields))
    if unknown:  # a typo in the config file must not be silently ignored
        raise DrafterError(f"llm settings: unknown setting {unknown[0]!r} (known: {', '.join(LLMSettings.model_fields)})")
    settings_cls: type[LLMSettings] = LLMSettings
    if config_file is not None:
        settings_cls = type(  # a subclass per file keeps LLMSettings itself free of file state
            "LLMSettingsFromFile", (LLMSettings,),
            {"model_config": SettingsConfigDict(**{**LLMSettings.model_config, "toml_file": str(config_file)})},
        )
    try:
        settings = settings_cls(**given)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        raise DrafterError(f"llm settings: {where}: {first['msg']}") from None
    preset = PRESETS.get(settings.preset or "", {})
    for name in ("base_url", "model", "mode"):
        if getattr(settings, name) is None and name in preset:
            setattr(settings, name, preset[name])
    if settings.mode is None:
        settings.mode = "tools"
    if settings.api_key is None or not settings.api_key.get_secret_value().strip():
        raise DrafterError("OPENAI_API_KEY is not set (for Ollama or vLLM any non-empty value works, e.g. 'local')")
    if not settings.model:
        raise DrafterError("DRAFTER_MODEL is not set: name the model to use, e.g. DRAFTER_MODEL=qwen-plus")
    return settings


class UsageLedger:
    """Usage summed over a whole run, failed reports included (their tokens were spent too); thread-safe."""

    def __init__(self) -> None:
        self.total = Usage()
        self._lock = threading.Lock()

    def add(self, usage: Usage) -> None:
        with self._lock:
            self.total = self.total + usage


@dataclass
class LLM:
    """How one run uses a model: the endpoint settings, the run's choices, and the usage it spent.

    The run owns one Endpoint (one HTTP client, its connection pool, rate limits and circuit breaker), built on first
    use and shared by every report, chunk and draft of the run, from any thread."""

    settings: LLMSettings
    use_cache: bool = True
    lenient: bool = False  # drop facts the model cannot ground (listed in warnings) instead of failing the report
    ledger: UsageLedger = field(default_factory=UsageLedger)
    http_client: Any = None  # an httpx2.Client to send through (tests, proxies); None: the SDK's own
    _endpoint: Any = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)
    # Answers a provider batch brought back, by cache key: (answer JSON, usage); taken once by the call loop.
    _prefetched: dict[str, tuple[dict[str, Any], Usage]] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def from_env(cls, config_file: Path | None = None, *, use_cache: bool = True, lenient: bool = False,
                 **overrides: Any) -> LLM:
        return cls(load_settings(config_file, **overrides), use_cache=use_cache, lenient=lenient)

    def endpoint(self) -> Endpoint:
        """The run's one Endpoint; openai and instructor are imported here, on the first request, never on a hit."""
        with self._lock:
            if self._endpoint is None:
                from drafter.llm.client import Endpoint

                self._endpoint = Endpoint(self.settings, http_client=self.http_client)
            return self._endpoint

    @property
    def cache(self) -> AnswerCache | None:
        return AnswerCache(self.settings.cache_dir) if self.use_cache else None

    def prefetch(self, key: str, answer: dict[str, Any], usage: Usage) -> None:
        with self._lock:
            self._prefetched[key] = (answer, usage)

    def take_prefetched(self, key: str) -> tuple[dict[str, Any], Usage] | None:
        with self._lock:
            return self._prefetched.pop(key, None)
