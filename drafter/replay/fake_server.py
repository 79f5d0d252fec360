"""A loopback OpenAI-compatible server for offline runs and tests: replay, faults and schema-driven answers.

Real HTTP on 127.0.0.1, so the real openai SDK, instructor and our retry code run unchanged. For each
POST …/chat/completions the server answers with, in order of precedence:
1. the next scripted reply, if any: a Fault (429 with Retry-After, 500, 401, a 400 quoting the key, timeout,
   malformed body, tool arguments that are not JSON, an answer cut off at max tokens; an endpoint that hangs,
   trickles a byte at a time or drops the connection) or a dict of tool arguments;
2. the standing `fault`, if given: every request meets it (a hung or rate-limited endpoint);
3. a fixture whose fingerprint (model, prompt version, report chunk, turn; see drafter.replay.wire) matches;
4. with `schema_driven`, an answer built from the request's own tool schema, its quotes either copied from the
   report ("echo") or invented ("fabricate") — a stand-in for a model we do not control;
5. otherwise a 400 naming the fingerprint that has no fixture.

The provider Batch API is there too: POST /v1/files (multipart upload), GET /v1/files/{id}/content, POST
/v1/batches and GET /v1/batches/{id}. Each line of a batch is answered as above (the prompt version comes from the
batch's metadata, as a batch line has no headers); the batch completes after `batch_polls` status polls.
`max_in_flight` is the most chat requests the server held open at once. `dead_base_url()` is a port nobody
listens on.

Usage in every answer is estimated with drafter.llm.prompt.estimate_tokens over the whole request (messages and
tool schema), so token-budget checks see the real overhead.

    python -m drafter.replay.fake_server --fixtures fixtures/llm --port 8765 [--latency 1] [--schema-driven echo]
"""

from __future__ import annotations

import argparse
import email.parser
import email.policy
import itertools
import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal

from drafter.llm.prompt import BATCH_VERSION_KEY, PROMPT_HEADER, estimate_tokens, report_in
from drafter.replay.wire import fingerprint_key, request_fingerprint

FaultKind = Literal["429", "500", "401", "400_echo_key", "timeout", "garbage_body", "bad_arguments", "truncated",
                    "hang", "trickle", "drop"]


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    retry_after: float | None = None  # seconds, for 429
    delay: float = 1.0  # seconds of silence, for timeout; seconds between bytes, for trickle


def dead_base_url() -> str:
    """A loopback base URL on a port that was free a moment ago: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


@dataclass
class Fixture:
    path: Path
    fingerprint: dict[str, Any]
    response: dict[str, Any]


def load_fixtures(directory: Path) -> dict[str, Fixture]:
    fixtures: dict[str, Fixture] = {}
    for path in sorted(Path(directory).rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "fingerprint" not in data or "response" not in data:
            continue  # README-like or unrelated JSON
        fixtures[fingerprint_key(data["fingerprint"])] = Fixture(path, data["fingerprint"], data["response"])
    return fixtures


def completion(body: dict[str, Any], arguments: str, *, finish_reason: str | None = None) -> dict[str, Any]:
    """A chat.completion in the wire shape the request asked for: a tool call, JSON content or a ```json block."""
    tools = body.get("tools") or []
    message: dict[str, Any] = {"role": "assistant", "content": None}
    if tools:
        name = tools[0]["function"]["name"]
        message["tool_calls"] = [{
            "id": "call_fake0", "type": "function", "function": {"name": name, "arguments": arguments},
        }]
    elif body.get("response_format"):
        message["content"] = arguments
    else:
        message["content"] = f"```json\n{arguments}\n```"
    prompt = estimate_tokens(json.dumps(body.get("messages", []), ensure_ascii=False) + json.dumps(tools, ensure_ascii=False))
    used = estimate_tokens(arguments)
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": body.get("model", ""),
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason or ("tool_calls" if tools else "stop")}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": used, "total_tokens": prompt + used},
    }


def arguments_of(response: dict[str, Any]) -> str:
    """The structured answer inside a stored completion, whatever mode it was recorded in."""
    message = response["choices"][0]["message"]
    if message.get("tool_calls"):
        return message["tool_calls"][0]["function"]["arguments"]
    content = message.get("content") or ""
    fenced = re.search(r"```(?:json)?\s*(.*?)```", content, re.S)
    return fenced.group(1).strip() if fenced else content


# ---- schema-driven answers ---------------------------------------------------------------------------------

_SENTENCE = re.compile(r"[^。；！？\n]{8,120}[。；！？]")
_FIGURE = re.compile(r"\d+(?:\.\d+)?")


def schema_answer(body: dict[str, Any], style: Literal["echo", "fabricate"]) -> str:
    """Tool arguments generated from the request's own JSON schema; quotes echo the report or are invented."""
    tools = body.get("tools") or []
    if not tools:
        raise ValueError("schema-driven answers need a tools request (mode tools)")
    schema = tools[0]["function"]["parameters"]
    user = next((m["content"] for m in body.get("messages", []) if m.get("role") == "user"), "")
    report = report_in(user) or ""
    sentences = [m.group() for m in _SENTENCE.finditer(report)]
    with_figures = [s for s in sentences if _FIGURE.search(s)]
    counter = iter(range(10**6))

    def quote_for(numeric: bool) -> str:
        n = next(counter)
        if style == "fabricate":
            return f"全年共办理虚构事项{n + 7}件，群众满意率达到百分之百。"
        pool = (with_figures if numeric else sentences) or sentences or [report[:40]]
        return pool[n % len(pool)]

    def build(node: dict[str, Any], name: str = "", sibling_quote: list[str] | None = None) -> Any:
        node = _resolve(node, schema)
        if "anyOf" in node:
            options = [o for o in node["anyOf"] if _resolve(o, schema).get("type") != "null"]
            if name != "quote" and len(options) < len(node["anyOf"]):
                return None  # optional fields stay empty: an invented qualifier would be a second fabrication
            return build(options[0], name, sibling_quote) if options else None
        if "enum" in node:
            return node["enum"][0]
        kind = node.get("type")
        if kind == "object":
            props = node.get("properties", {})
            numeric = any(_resolve(p, schema).get("type") == "number" for p in props.values())
            quote = [quote_for(numeric)] if "quote" in props else None
            return {key: build(sub, key, quote) for key, sub in props.items()}
        if kind == "array":
            return [build(node["items"], name, sibling_quote) for _ in range(2)]
        if kind in ("number", "integer"):
            figure = _FIGURE.search(sibling_quote[0]) if sibling_quote else None
            return float(figure.group()) if figure else 1
        if kind == "boolean":
            return True
        if name in ("quote", "clauses") and sibling_quote:  # a problem's clauses lie inside its quote
            return sibling_quote[0]
        if name == "unit":
            return ""
        return f"{name or 'text'}（生成）"

    return json.dumps(build(schema), ensure_ascii=False)


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if not ref:
        return node
    target: Any = root
    for part in ref.lstrip("#/").split("/"):
        target = target[part]
    return target


# ---- the server ----------------------------------------------------------------------------------------------

class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # 16+ clients connect at once in the benches
    daemon_threads = True
    block_on_close = False  # a hanging answer must not hold up stop()


class FakeLLM:
    """Run with `with FakeLLM(...) as server:`; `server.base_url` ends in /v1, `server.requests` keeps every body."""

    def __init__(
        self,
        fixtures_dir: Path | None = None,
        *,
        script: Iterable[Fault | dict | str] = (),
        schema_driven: Literal["echo", "fabricate"] | None = None,
        fabricate_when: Callable[[str], bool] | None = None,
        fault: Fault | None = None,
        latency: float = 0.0,
        batch_polls: int = 2,
        port: int = 0,
    ) -> None:
        self.fixtures = load_fixtures(fixtures_dir) if fixtures_dir else {}
        self.script: deque[Fault | dict | str] = deque(script)
        self.schema_driven = schema_driven
        self.fabricate_when = fabricate_when
        self.fault = fault
        self.latency = latency
        self.batch_polls = batch_polls
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.arrivals: list[float] = []  # time.monotonic() of each chat request, for rate-limit checks
        self.batch_requests: list[dict[str, Any]] = []  # the bodies of every batch line
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.in_flight = self.max_in_flight = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._closing = threading.Event()  # ends a hanging or trickling answer when the server stops
        self._server = _Server(("127.0.0.1", port), self._handler())
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def request_count(self) -> int:
        return len(self.requests)

    def start(self) -> FakeLLM:
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeLLM:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def answer(self, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, str], bytes, float | Fault]:
        """(status, headers, body bytes, seconds to wait first, or the Fault that delivers it) for one request."""
        with self._lock:
            self.requests.append(body)
            self.headers.append(headers)
            self.arrivals.append(time.monotonic())
        return self._reply(body, headers)

    def _reply(self, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, str], bytes, float | Fault]:
        with self._lock:
            scripted = self.script.popleft() if self.script else None
        scripted = scripted if scripted is not None else self.fault
        if isinstance(scripted, Fault):
            return self._fault(scripted, body, headers)
        if isinstance(scripted, dict):
            return _ok(completion(body, json.dumps(scripted, ensure_ascii=False)), self.latency)
        if isinstance(scripted, str):  # raw arguments text, e.g. to send invalid JSON
            return _ok(completion(body, scripted), self.latency)
        fp = request_fingerprint(body, headers)
        if fp is not None and (fixture := self.fixtures.get(fingerprint_key(fp))) is not None:
            return _ok(completion(body, arguments_of(fixture.response)), self.latency)
        if self.schema_driven:
            report = report_in(next((m["content"] for m in body.get("messages", []) if m.get("role") == "user"), "")) or ""
            style = "fabricate" if self.fabricate_when and self.fabricate_when(report) else self.schema_driven
            return _ok(completion(body, schema_answer(body, style)), self.latency)
        error = {"error": {"message": f"fake server: no fixture for {fp}", "type": "invalid_request_error"}}
        return 400, {}, json.dumps(error).encode(), self.latency

    def _fault(self, fault: Fault, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, str], bytes, float | Fault]:
        def error(status: int, message: str, kind: str) -> bytes:
            return json.dumps({"error": {"message": message, "type": kind}}).encode()

        if fault.kind == "429":
            headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else {}
            return 429, headers, error(429, "rate limit reached", "rate_limit_error"), self.latency
        if fault.kind == "500":
            return 500, {}, error(500, "internal error", "server_error"), self.latency
        if fault.kind == "401":
            return 401, {}, error(401, "invalid api key", "authentication_error"), self.latency
        if fault.kind == "400_echo_key":  # some servers quote the key they were sent in the error text
            key = headers.get("authorization", headers.get("Authorization", "")).removeprefix("Bearer ")
            return 400, {}, error(400, f"model not available for key {key}", "invalid_request_error"), self.latency
        if fault.kind == "truncated":
            return _ok(completion(body, '{"items": [', finish_reason="length"), self.latency)
        if fault.kind == "timeout":
            return 200, {}, json.dumps(completion(body, "{}")).encode(), fault.delay
        if fault.kind == "garbage_body":
            return 200, {}, b"<html>upstream proxy error</html>", self.latency
        if fault.kind == "bad_arguments":
            return _ok(completion(body, '{"items": [{"part": "measures", "title": '), self.latency)
        if fault.kind in ("hang", "trickle", "drop"):  # delivered by the handler itself
            return 200, {}, json.dumps(completion(body, "{}")).encode(), fault
        raise ValueError(f"unknown fault {fault.kind}")

    # ---- the Batch API -----------------------------------------------------------------------------------------

    def upload(self, content: bytes, filename: str, purpose: str) -> dict[str, Any]:
        with self._lock:
            file_id = f"file-{next(self._ids)}"
            self.files[file_id] = content
        return {"id": file_id, "object": "file", "bytes": len(content), "created_at": 0, "filename": filename,
                "purpose": purpose, "status": "processed"}

    def create_batch(self, request: dict[str, Any]) -> dict[str, Any]:
        """Answer every line at once; the batch reports itself done after `batch_polls` polls."""
        version = (request.get("metadata") or {}).get(BATCH_VERSION_KEY, "")
        lines = [json.loads(line) for line in self.files[request["input_file_id"]].decode("utf-8").splitlines() if line]
        output = []
        for n, line in enumerate(lines):
            with self._lock:
                self.batch_requests.append(line["body"])
            status, _, payload, _ = self._reply(line["body"], {PROMPT_HEADER: version})
            output.append(json.dumps({
                "id": f"batch_req_{n}", "custom_id": line["custom_id"],
                "response": {"status_code": status, "request_id": f"req_{n}", "body": json.loads(payload)},
                "error": None,
            }, ensure_ascii=False))
        output_file = self.upload(("\n".join(output) + "\n").encode("utf-8"), "output.jsonl", "batch_output")
        with self._lock:
            batch_id = f"batch_{next(self._ids)}"
            self.batches[batch_id] = {
                "id": batch_id, "object": "batch", "endpoint": request["endpoint"], "errors": None,
                "input_file_id": request["input_file_id"], "completion_window": request["completion_window"],
                "status": "validating", "output_file_id": None, "error_file_id": None, "created_at": 0,
                "metadata": request.get("metadata"), "_polls": 0, "_output": output_file["id"],
                "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
            }
        return self.retrieve_batch(batch_id, poll=False)

    def retrieve_batch(self, batch_id: str, poll: bool = True) -> dict[str, Any]:
        with self._lock:
            batch = self.batches[batch_id]
            if poll:
                batch["_polls"] += 1
                done = batch["_polls"] >= self.batch_polls
                batch["status"] = "completed" if done else "in_progress"
                if done:
                    total = batch["request_counts"]["total"]
                    batch["output_file_id"] = batch["_output"]
                    batch["request_counts"] = {"total": total, "completed": total, "failed": 0}
            return {k: v for k, v in batch.items() if not k.startswith("_")}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                path = self.path.rstrip("/")
                if path.endswith("/files"):
                    fields = _multipart(self.headers.get("Content-Type", ""), raw)
                    filename, content = fields.get("file", ("", b""))
                    purpose = fields.get("purpose", ("", b""))[1].decode()
                    self._json(200, server.upload(content, filename, purpose))
                    return
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {}
                if path.endswith("/batches"):
                    self._json(200, server.create_batch(body))
                    return
                if not path.endswith("/chat/completions"):
                    self._send(404, {}, b'{"error": {"message": "not found"}}')
                    return
                with server._lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    status, headers, payload, wait = server.answer(body, dict(self.headers.items()))
                    if isinstance(wait, Fault):
                        self._deliver(wait, payload)
                        return
                    if wait:
                        time.sleep(wait)
                    self._send(status, headers, payload)
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def do_GET(self) -> None:  # noqa: N802
                parts = self.path.rstrip("/").split("/")
                if len(parts) >= 3 and parts[-3] == "files" and parts[-1] == "content" and parts[-2] in server.files:
                    self._send(200, {}, server.files[parts[-2]], "application/octet-stream")
                elif len(parts) >= 2 and parts[-2] == "batches" and parts[-1] in server.batches:
                    self._json(200, server.retrieve_batch(parts[-1]))
                else:
                    self._send(404, {}, b'{"error": {"message": "not found"}}')

            def _deliver(self, fault: Fault, payload: bytes) -> None:
                if fault.kind == "hang":  # accepted, never answered
                    server._closing.wait()
                elif fault.kind == "drop":  # closed without a word
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                else:  # trickle: the headers at once, then the body a byte at a time
                    try:
                        self.send_response(200)
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Content-Length", str(len(payload)))
                        self.end_headers()
                        for i in range(len(payload)):
                            self.wfile.write(payload[i:i + 1])
                            self.wfile.flush()
                            if server._closing.wait(fault.delay):
                                return
                    except OSError:
                        pass

            def _json(self, status: int, value: dict[str, Any]) -> None:
                self._send(status, {}, json.dumps(value, ensure_ascii=False).encode("utf-8"))

            def _send(self, status: int, headers: dict[str, str], payload: bytes,
                      content_type: str = "application/json") -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the client gave up (timeout test): nothing left to tell it
                    pass

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass  # quiet: tests and demos print their own lines

        return Handler


def _ok(payload: dict[str, Any], wait: float) -> tuple[int, dict[str, str], bytes, float]:
    return 200, {}, json.dumps(payload, ensure_ascii=False).encode("utf-8"), wait


def _multipart(content_type: str, body: bytes) -> dict[str, tuple[str, bytes]]:
    """The fields of a multipart/form-data body as {name: (filename, content)}."""
    message = email.parser.BytesParser(policy=email.policy.default).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        fields[str(name)] = (part.get_filename() or "", part.get_payload(decode=True) or b"")
    return fields


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m drafter.replay.fake_server", description=__doc__.split("\n")[0])
    parser.add_argument("--fixtures", type=Path, help="folder of fixture JSON files to replay")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    parser.add_argument("--schema-driven", choices=["echo", "fabricate"], help="answer unmatched requests from the schema")
    args = parser.parse_args(argv)
    server = FakeLLM(args.fixtures, schema_driven=args.schema_driven, latency=args.latency, port=args.port)
    print(f"fake OpenAI-compatible server on {server.base_url} ({len(server.fixtures)} fixtures)", flush=True)
    try:
        server._server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server._server.server_close()


if __name__ == "__main__":
    main()
