"""A small OpenAI-compatible chat server on 127.0.0.1, for tests and the bench.

Real HTTP in a thread: the real ChatOpenAI / openai SDK talks to it over a
socket, so retries, timeouts and parsing are exercised for real. Each request
takes the next scripted step (or asks `responder(body)` when the script is
empty); every request is recorded.

Steps (plain dicts, built with the helpers below):
  reply(obj)            the answer: JSON of obj as tool-call arguments when the request
                        forces a tool (function_calling), else as message content
  slow(seconds, then)   wait, then answer `then` (the client may time out first)
  status(code, retry_after=None)   an error response (429, 500, ...)
  invalid_json()        200 with arguments/content that are not JSON
  truncated(obj)        200, the JSON cut in half, finish_reason "length"
  bad_body()            200 whose body is not a chat completion at all
  drop()                close the connection without answering
Usage numbers: prompt_tokens ~ characters/4 of the messages and tools (no tokenizer).
"""
from __future__ import annotations

import json
import math
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def reply(obj: Any) -> dict:
    return {"kind": "reply", "payload": obj}


def slow(seconds: float, then: dict | None = None) -> dict:
    return {"kind": "slow", "seconds": seconds, "then": then}


def status(code: int, retry_after: float | str | None = None, message: str = "scripted error") -> dict:
    return {"kind": "status", "code": code, "retry_after": retry_after, "message": message}


def invalid_json() -> dict:
    return {"kind": "invalid_json"}


def truncated(obj: Any) -> dict:
    return {"kind": "truncated", "payload": obj}


def bad_body() -> dict:
    return {"kind": "bad_body"}


def drop() -> dict:
    return {"kind": "drop"}


def estimate_tokens(text: str) -> int:
    return max(1, math.ceil(len(text) / 4))


class FakeOpenAI:
    """`with FakeOpenAI() as server:` ... `server.base_url` ... `server.requests`."""

    def __init__(self, responder: Callable[[dict], dict] | None = None, model: str = "fake-model"):
        self.script: deque[dict] = deque()
        self.responder = responder
        self.model = model
        self.requests: list[dict] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    # -- lifecycle --------------------------------------------------------------------
    def start(self) -> "FakeOpenAI":
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()  # releases handlers sleeping in slow()
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self) -> "FakeOpenAI":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "start() first"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    # -- scripting ----------------------------------------------------------------------
    def push(self, *steps: dict) -> None:
        with self._lock:
            self.script.extend(steps)

    def next_step(self, body: dict) -> dict:
        with self._lock:
            if self.script:
                return self.script.popleft()
        if self.responder is not None:
            return self.responder(body)
        return status(500, message="fake server: no scripted step left")

    # -- inspection ---------------------------------------------------------------------
    @property
    def chat_requests(self) -> list[dict]:
        return [r for r in self.requests if r["path"].endswith("/chat/completions")]

    def messages(self, index: int = -1) -> list[dict]:
        return self.chat_requests[index]["body"].get("messages", [])

    def text_of(self, index: int = -1, role: str = "user") -> str:
        """All content of the given role in request `index`, joined."""
        return "\n".join(str(m.get("content") or "") for m in self.messages(index) if m.get("role") == role)


class _Handler(BaseHTTPRequestHandler):
    fake: FakeOpenAI

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    _record: dict = {}

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/models"):
            self._json(200, {"object": "list", "data": [{"id": self.fake.model, "object": "model"}]})
        else:
            self._json(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = {"_unparsed": raw.decode("utf-8", "replace")}
        record = {"at": time.monotonic(), "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
        with self.fake._lock:
            self.fake.requests.append(record)
        self._record = record
        step = self.fake.next_step(body)
        try:
            self._serve(step, body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): nothing to answer

    def _serve(self, step: dict, body: dict) -> None:
        kind = step["kind"]
        if kind == "slow":
            if self.fake._stop.wait(step["seconds"]):
                return
            return self._serve(step["then"] or reply({}), body)
        if kind == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if kind == "status":
            headers = {"Retry-After": str(step["retry_after"])} if step["retry_after"] is not None else {}
            error = {"error": {"message": step["message"], "type": "fake", "code": step["code"]}}
            return self._json(step["code"], error, headers)
        if kind == "bad_body":
            return self._send(200, b"<html>upstream proxy error</html>", "application/json")
        if kind == "invalid_json":
            return self._json(200, completion(body, "{'update': {what: 'no quotes'", "stop", self.fake.model))
        text = json.dumps(step["payload"]) if not isinstance(step["payload"], str) else step["payload"]
        if kind == "truncated":
            return self._json(200, completion(body, text[: len(text) // 2], "length", self.fake.model))
        return self._json(200, completion(body, text, "stop", self.fake.model))

    def _json(self, code: int, obj: dict, headers: dict | None = None) -> None:
        if "usage" in obj:
            self._record["usage"] = obj["usage"]  # what the client was told it spent
        self._send(code, json.dumps(obj).encode(), "application/json", headers)

    def _send(self, code: int, data: bytes, ctype: str, headers: dict | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)


def forced_tool(body: dict) -> str | None:
    """The tool name the request forces (function_calling structured output), if any."""
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        return (choice.get("function") or {}).get("name")
    tools = body.get("tools") or []
    if choice == "required" and tools:
        return tools[0]["function"]["name"]
    return None


def completion(body: dict, text: str, finish: str, model: str) -> dict:
    """A chat.completion answering `body` with `text` (as tool arguments when a tool is forced)."""
    prompt = json.dumps(body.get("messages", [])) + json.dumps(body.get("tools", []))
    message: dict[str, Any] = {"role": "assistant", "content": text}
    tool = forced_tool(body)
    if tool:
        message = {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": tool, "arguments": text}}]}
        finish = "tool_calls" if finish == "stop" else finish
    prompt_tokens, completion_tokens = estimate_tokens(prompt), estimate_tokens(text)
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }
