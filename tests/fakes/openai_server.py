"""Stand-ins for a model provider: an OpenAI-compatible server, and an in-process chat model.

`FakeOpenAI` is a local chat-completions server. It listens on 127.0.0.1 (an ephemeral port),
records every request body, and answers with scripted replies: a tool call, plain JSON content,
an HTTP error, or a reply after a delay (to drive time-outs). Point the real `openai` client at
it with `OPENAI_BASE_URL=server.url`.

    with FakeOpenAI() as server:
        server.push(tool_call("read_request", {"intent": "help", "slots": {}}))
        ...
        server.bodies[0]["messages"]

`ToolCallingModel` is a LangChain chat model that answers every call with one tool call whose
arguments a function of the messages chooses (or raises what that function returns).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field


@dataclass
class Reply:
    """One scripted answer: an HTTP status and JSON body, sent after `delay` seconds."""

    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    delay: float = 0.0


Responder = Callable[[dict[str, Any]], Reply]


def _completion(message: dict[str, Any], finish: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "gpt-4.1-mini",
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


def tool_call(name: str, arguments: dict[str, Any] | str, delay: float = 0.0) -> Reply:
    """A completion that calls the function `name` with these arguments."""
    args = arguments if isinstance(arguments, str) else json.dumps(arguments)
    call = {"id": "call_1", "type": "function", "function": {"name": name, "arguments": args}}
    message = {"role": "assistant", "content": None, "tool_calls": [call]}
    return Reply(200, _completion(message, "tool_calls"), delay)


def content(value: dict[str, Any] | str, delay: float = 0.0) -> Reply:
    """A completion whose message content is this text (JSON-encoded when a dict)."""
    text = value if isinstance(value, str) else json.dumps(value)
    return Reply(200, _completion({"role": "assistant", "content": text}, "stop"), delay)


def error(status: int = 500, message: str = "upstream failure") -> Reply:
    return Reply(status, {"error": {"message": message, "type": "server_error", "code": None}})


class FakeOpenAI:
    """The server; `push` queues replies, `responder` answers when the queue is empty."""

    def __init__(self, responder: Responder | None = None) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.replies: deque[Reply] = deque()
        self.responder = responder
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def push(self, *replies: Reply) -> None:
        with self._lock:
            self.replies.extend(replies)

    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.bodies.append(body)
            if self.replies:
                return self.replies.popleft()
        if self.responder is not None:
            return self.responder(body)
        return error(500, "no scripted reply")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                fake.paths.append(self.path)
                reply = fake._next(json.loads(raw or b"{}"))
                if reply.delay:
                    time.sleep(reply.delay)
                data = json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a time-out test)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        return Handler

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


Answer = Callable[[list[BaseMessage]], "dict[str, Any] | Exception"]


class ToolCallingModel(BaseChatModel):
    """A chat model whose answer is one `tool_name` call with the arguments `answer` returns."""

    answer: Any
    tool_name: str = "read_request"
    seen: list[list[BaseMessage]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "tool-calling-stand-in"

    def bind_tools(self, tools: Any, *, tool_choice: Any = None, **kwargs: Any) -> Any:
        return self

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        self.seen.append(list(messages))
        args = self.answer(messages)
        if isinstance(args, Exception):
            raise args
        call = {"name": self.tool_name, "args": args, "id": "call_1", "type": "tool_call"}
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content="", tool_calls=[call]))])
