"""Settings: environment, .env, TOML file and overrides, presets, and one-line errors for what is missing."""

from __future__ import annotations

import pytest

from drafter.errors import DrafterError
from drafter.llm.config import load_settings

ENV_NAMES = ("MODEL", "TIMEOUT", "MODE", "API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "DRAFTER_MODEL", "DRAFTER_MODE", "DRAFTER_PRESET", "DRAFTER_CACHE_DIR",
             "DRAFTER_TIMEOUT", "DRAFTER_REASKS")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_environment_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-key")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("DRAFTER_MODEL", "qwen-plus")
    monkeypatch.setenv("DRAFTER_MODE", "MD_JSON")
    monkeypatch.setenv("DRAFTER_CACHE_DIR", str(tmp_path / "c"))
    settings = load_settings()
    assert settings.api_key.get_secret_value() == "sk-env-key"
    assert (settings.base_url, settings.model, settings.mode) == ("http://127.0.0.1:9/v1", "qwen-plus", "md_json")
    assert settings.cache_dir == tmp_path / "c"
    assert "sk-env-key" not in repr(settings) and "sk-env-key" not in str(settings.model_dump())


def test_precedence_overrides_env_dotenv_toml(monkeypatch, tmp_path):
    (tmp_path / "drafter.toml").write_text('model = "from-toml"\nmode = "json"\ntimeout = 5\nreasks = 4\n', encoding="utf-8")
    (tmp_path / ".env").write_text("OPENAI_API_KEY=sk-dotenv\nDRAFTER_MODEL=from-dotenv\nDRAFTER_REASKS=3\n", encoding="utf-8")
    monkeypatch.setenv("DRAFTER_MODEL", "from-env")
    settings = load_settings(tmp_path / "drafter.toml", timeout=None)  # None: an unset CLI option
    assert settings.model == "from-env"
    assert settings.reasks == 3  # .env beats TOML
    assert (settings.mode, settings.timeout) == ("json", 5.0)  # only the TOML sets these
    assert settings.api_key.get_secret_value() == "sk-dotenv"
    assert load_settings(tmp_path / "drafter.toml", model="from-cli").model == "from-cli"


def test_preset_fills_only_what_is_not_given(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "ollama")
    settings = load_settings(preset="ollama")
    assert (settings.base_url, settings.model, settings.mode) == ("http://localhost:11434/v1", "qwen2.5:14b", "json")
    settings = load_settings(preset="deepseek", model="deepseek-reasoner", mode="md_json")
    assert (settings.base_url, settings.model, settings.mode) == ("https://api.deepseek.com/v1", "deepseek-reasoner", "md_json")


def test_missing_key_is_one_clear_line(monkeypatch):
    monkeypatch.setenv("DRAFTER_MODEL", "qwen-plus")
    with pytest.raises(DrafterError, match="^OPENAI_API_KEY is not set"):
        load_settings()


def test_missing_model_is_one_clear_line(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-x")
    with pytest.raises(DrafterError, match="^DRAFTER_MODEL is not set"):
        load_settings()


@pytest.mark.parametrize(("overrides", "message"), [
    ({"mode": "json_schema"}, "mode"),
    ({"preset": "azure"}, "unknown preset 'azure'"),
    ({"timeout": -1}, "timeout"),
])
def test_bad_values_are_one_line(monkeypatch, overrides, message):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-x")
    with pytest.raises(DrafterError, match=message) as failure:
        load_settings(model="m", **overrides)
    assert "\n" not in str(failure.value)


def test_unknown_toml_key_and_missing_file(monkeypatch, tmp_path):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-x")
    (tmp_path / "bad.toml").write_text('model = "m"\nmodle = "typo"\n', encoding="utf-8")
    with pytest.raises(DrafterError, match="unknown setting 'modle'"):
        load_settings(tmp_path / "bad.toml")
    with pytest.raises(DrafterError, match="config file not found"):
        load_settings(tmp_path / "absent.toml")


def test_bare_variables_of_other_tools_are_ignored(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-x")
    monkeypatch.setenv("DRAFTER_MODEL", "qwen-plus")
    for name, value in (("MODEL", "gpt-other"), ("TIMEOUT", "1"), ("MODE", "json"), ("API_KEY", "other")):
        monkeypatch.setenv(name, value)
    settings = load_settings()
    assert (settings.model, settings.timeout, settings.mode) == ("qwen-plus", 100.0, "tools")
    assert settings.api_key.get_secret_value() == "sk-x"


def test_other_tools_variables_in_dotenv_are_ignored(tmp_path):
    (tmp_path / ".env").write_text("DATABASE_URL=postgres://x\nOPENAI_API_KEY=sk-dotenv\nDRAFTER_MODEL=m\n", encoding="utf-8")
    settings = load_settings()
    assert (settings.model, settings.api_key.get_secret_value()) == ("m", "sk-dotenv")


def test_toml_syntax_error_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-x")
    (tmp_path / "broken.toml").write_text('model = "unterminated\n', encoding="utf-8")
    with pytest.raises(DrafterError, match="cannot read .*broken.toml") as failure:
        load_settings(tmp_path / "broken.toml")
    assert "\n" not in str(failure.value)
