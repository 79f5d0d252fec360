"""The suite runs the same in any shell: a user's drafter, OpenAI or proxy settings never reach a test, and
nothing is written outside the test's temp dirs (cache, request log, a CLI's default `out/`)."""

from __future__ import annotations

import os

import pytest

_PREFIXES = ("DRAFTER_", "OPENAI_")
_PROXIES = {"http_proxy", "https_proxy", "all_proxy", "ftp_proxy", "ws_proxy", "wss_proxy"}


def _users_settings() -> list[str]:
    return [name for name in os.environ if name.upper().startswith(_PREFIXES) or name.lower() in _PROXIES]


# Module- and session-scoped fixtures are set up before any function-scoped one: the user's settings leave the
# test process as soon as it starts, and the fixture below keeps each test's own changes from leaking.
for _name in _users_settings():
    del os.environ[_name]


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    for name in _users_settings():
        monkeypatch.delenv(name)
    # The fake endpoint is loopback: never send it through a proxy, whatever an SSL or SDK layer reads.
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost,::1")
    # The default cache (and the request log under it) lands in a temp dir, not ~/.cache.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    # A stray .env in the checkout is not read, and a relative default such as `out/` stays in a temp dir.
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
