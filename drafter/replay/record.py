"""Capture fixtures from a live endpoint (`drafter record`), and re-key fixtures after a prompt change.

Recording runs the normal llm backend with a transport that copies every successful chat.completions answer into
one fixture file: `{"comment", "source", "fingerprint", "response"}`. Only the answer is written — never the request
headers — and the API key, any `sk-…`/Bearer token and any field named like a key or authorization are redacted
from it anyway.

    python -m drafter.replay.record rekey fixtures/llm --prompt-version extract/v2 [--model NAME]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import httpx2

from drafter.batch import collect_inputs, run_each
from drafter.files import write_atomic
from drafter.llm.config import LLMSettings
from drafter.llm.secrets import redact
from drafter.replay.wire import fingerprint_key, request_fingerprint

class RecordingTransport(httpx2.BaseTransport):
    """Passes requests through and writes each 200 chat.completions answer as a fixture."""

    def __init__(self, out_dir: Path, secrets: tuple[str, ...], inner: httpx2.BaseTransport | None = None) -> None:
        self.out_dir = Path(out_dir)
        self.secrets = secrets
        self.inner = inner or httpx2.HTTPTransport()
        self.source = ""
        self.written: list[Path] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = self.inner.handle_request(request)
        if response.status_code != 200 or not request.url.path.rstrip("/").endswith("/chat/completions"):
            return response
        content = response.read()
        try:
            body = json.loads(request.content or b"{}")
            answer = json.loads(content)
        except ValueError:  # not JSON: nothing worth replaying
            return _replayable(response, content, request)
        fp = request_fingerprint(body, dict(request.headers.items()))
        if fp is not None:
            stem = Path(self.source).stem or "report"
            path = self.out_dir / f"{stem}.{fingerprint_key(fp)[:12]}.t{fp['turn']}.json"
            fixture = {
                "comment": "recorded from a live endpoint by `drafter record`; secrets redacted",
                "source": self.source,
                "fingerprint": fp,
                "response": redact(answer, self.secrets),
            }
            write_atomic(path, json.dumps(fixture, ensure_ascii=False, indent=2) + "\n", force=True)
            self.written.append(path)
        return _replayable(response, content, request)

    def close(self) -> None:
        self.inner.close()


def _replayable(response: httpx2.Response, content: bytes, request: httpx2.Request) -> httpx2.Response:
    # The body is already decoded: drop the headers that describe the encoded form.
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")]
    return httpx2.Response(response.status_code, headers=headers, content=content, request=request)


def record(paths: list[Path], out_dir: Path, settings: LLMSettings, *, lenient: bool = False,
           inner_transport: httpx2.BaseTransport | None = None) -> tuple[list[Path], list[str]]:
    """Summarise every report under `paths` against the configured endpoint, writing fixtures to `out_dir`.

    Returns (fixture files written, one `file: reason` line per failed report). The cache is bypassed so every
    request really happens."""
    from drafter.llm.config import LLM
    from drafter.pipeline import summarize

    secret = settings.api_key.get_secret_value() if settings.api_key else ""
    transport = RecordingTransport(out_dir, (secret,), inner_transport)
    failures: list[str] = []
    with httpx2.Client(transport=transport, timeout=settings.timeout) as client:
        llm = LLM(settings, use_cache=False, lenient=lenient, http_client=client)  # one endpoint for the run

        def step(path: Path) -> None:  # one report at a time: the transport names fixtures by the current source
            transport.source = str(path)
            summarize(path, llm)

        for outcome in run_each(collect_inputs(paths), step):
            if outcome.error is not None:
                failures.append(f"{outcome.path}: {outcome.error}")
    return transport.written, failures


def rekey(directory: Path, *, prompt_version: str | None = None, model: str | None = None) -> list[Path]:
    """Point existing fixtures at a new prompt version and/or model name (the report chunks are unchanged)."""
    changed = []
    for path in sorted(Path(directory).rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "fingerprint" not in data:
            continue
        fp = dict(data["fingerprint"])
        fp["prompt_version"] = prompt_version or fp["prompt_version"]
        fp["model"] = model or fp["model"]
        if fp != data["fingerprint"]:
            data["fingerprint"] = fp
            write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n", force=True)
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m drafter.replay.record")
    sub = parser.add_subparsers(dest="command", required=True)
    re_key = sub.add_parser("rekey", help="point fixtures at a new prompt version or model")
    re_key.add_argument("directory", type=Path)
    re_key.add_argument("--prompt-version")
    re_key.add_argument("--model")
    args = parser.parse_args(argv)
    changed = rekey(args.directory, prompt_version=args.prompt_version, model=args.model)
    print(f"{len(changed)} fixtures re-keyed")


if __name__ == "__main__":
    main()
