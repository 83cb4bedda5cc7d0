"""The LLM parser: one structured model call per message, every value checked by the catalog.

The model is any LangChain chat model named by a provider string (`openai:gpt-4.1-mini`,
`azure_openai:<deployment>`, `anthropic:claude-sonnet-4-5`, `ollama:llama3.1`), built with
`init_chat_model`; LangChain is imported only when this parser is built. The message and the
draft are redacted before they leave the process (intents/redact.py), by a redactor that knows
the directory when there is one (staff names are never taken for patients', emails outside the
organisation's domains are redacted); the answer goes through the guard (intents/guard.py),
whose protected-data check knows the same directory. A time-out or any provider error falls
back to the fallback parser, so no message is lost. `observe`, when set, is told how long each
model call was waited for (the app's latency metric; a time-out counts as the full wait).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from forms.catalog import Catalog
from forms.kinds import NormalizeContext
from forms.validate import missing_fields
from intents.base import ParseContext, Parser, People, Proposal
from intents.guard import OutputGuard, Reading
from intents.prompts import output_schema, system_prompt, user_prompt
from intents.redact import Redactor, loggable

log = logging.getLogger("frontdoor.intents.llm")

PROVIDER_EXTRAS = {"openai": "openai", "azure_openai": "openai", "anthropic": "anthropic", "ollama": "ollama"}
"""Provider → the `frontdoor[...]` extra that installs its LangChain integration."""


_REDACTORS_KEPT = 8
"""Redactors kept for directories other than the parser's own (a context's `people`)."""


class LLMConfigError(ValueError):
    """FRONTDOOR_LLM names a model that cannot be built; the message says what to change."""


def provider_kwargs(provider: str, model: str, timeout: float) -> dict[str, Any]:
    """Time-out and retry settings in each provider's own words (no retries: we fall back)."""
    if provider in ("openai", "anthropic"):
        return {"timeout": timeout, "max_retries": 0}
    if provider == "azure_openai":
        return {"timeout": timeout, "max_retries": 0, "azure_deployment": model}
    if provider == "ollama":
        return {"client_kwargs": {"timeout": timeout}}
    return {}


def build_chat_model(model_spec: str, timeout: float) -> Any:
    """`init_chat_model(model_spec)` with the provider's time-out; LLMConfigError if it cannot."""
    provider, sep, model = model_spec.partition(":")
    if not sep or not provider or not model:
        raise LLMConfigError(f"FRONTDOOR_LLM={model_spec!r}: use provider:model, e.g. openai:gpt-4.1-mini")
    from langchain.chat_models import init_chat_model

    try:
        return init_chat_model(model_spec, **provider_kwargs(provider, model, timeout))
    except ImportError:
        extra = PROVIDER_EXTRAS.get(provider, provider)
        raise LLMConfigError(
            f"FRONTDOOR_LLM={model_spec!r}: the {provider} integration is not installed "
            f'(pip install "frontdoor[{extra}]")'
        ) from None
    except Exception as exc:  # each provider raises its own kind of configuration error
        raise LLMConfigError(f"FRONTDOOR_LLM={model_spec!r}: {type(exc).__name__}: {exc}") from None


class LLMParser:
    """A Parser backed by a chat model; see the module docstring."""

    name = "llm"

    def __init__(
        self,
        catalog: Catalog,
        people: People | None,
        *,
        model_spec: str,
        fallback: Parser,
        timeout: float = 10.0,
        model: Any = None,
        debug_log_text: bool = False,
        redactor: Redactor | None = None,
        observe: Callable[[float], None] | None = None,
    ) -> None:
        """`redactor`: what redacts the text sent to the model and checks values for protected
        data; by default `Redactor.for_people(people)` (the directory's people and email
        domains), or `Redactor()` when there is no directory."""
        self.catalog = catalog
        self.people = people
        self.model_spec = model_spec
        self.fallback = fallback
        self.timeout = timeout
        self.debug_log_text = debug_log_text
        self.fixed_redactor = redactor is not None
        self.redactor = redactor or (Redactor.for_people(people) if people is not None else Redactor())
        self._redactors: dict[int, tuple[People, Redactor]] = {}
        self.observe = observe
        self.system_prompt = system_prompt(catalog)
        self.schema = output_schema(catalog)
        self.guard = OutputGuard(catalog)
        chat_model = model if model is not None else build_chat_model(model_spec, timeout)
        self._runnable = chat_model.with_structured_output(self.schema, method="function_calling", include_raw=True)
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="frontdoor-llm")

    def parse(self, text: str, context: ParseContext) -> Proposal:
        reading = self.read(text, context)
        if reading is None:
            return self.fallback.parse(text, context).model_copy(update={"llm_calls": 1})
        return self.proposal(reading, context)

    def read(self, text: str, context: ParseContext) -> Reading | None:
        """One model call: the guarded reading, or None on a time-out, error or unusable answer."""
        log.debug("llm parse: %s", loggable(text, self.debug_log_text))
        redacted = self.redactor_for(context).redact(user_prompt(text, context))
        messages = [("system", self.system_prompt), ("human", redacted.text)]
        started = time.perf_counter()
        try:
            result = self._pool.submit(self._runnable.invoke, messages).result(timeout=self.timeout)
        except FutureTimeout:
            log.warning("model call timed out after %.1fs; the fallback parser answers", self.timeout)
            return None
        except Exception as exc:  # any provider failure: the fallback parser answers
            log.warning("model call failed (%s); the fallback parser answers", type(exc).__name__)
            return None
        finally:
            if self.observe is not None:
                self.observe(time.perf_counter() - started)
        parsed = result.get("parsed") if isinstance(result, dict) else None
        if not isinstance(parsed, dict):
            log.warning("model answer had no usable %s call; the fallback parser answers", self.schema["title"])
            return None
        return self.guard.check(parsed, text, context, self.normalize_context(context), redacted.mapping)

    def redactor_for(self, context: ParseContext) -> Redactor:
        """The redactor for a message: the one given, else one knowing the context's directory
        (the parser's own unless the context names another; built once per directory)."""
        people = context.people
        if self.fixed_redactor or people is None or people is self.people:
            return self.redactor
        cached = self._redactors.get(id(people))
        if cached is None or cached[0] is not people:
            if len(self._redactors) >= _REDACTORS_KEPT:
                self._redactors.clear()
            cached = (people, Redactor.for_people(people))
            self._redactors[id(people)] = cached
        return cached[1]

    def text_guard(self, context: ParseContext) -> Callable[[str], str | None]:
        """The fields' protected-data check for a message: `phi_reason`, knowing the directory."""
        return self.redactor_for(context).reason

    def normalize_context(self, context: ParseContext) -> NormalizeContext:
        people = context.people or self.people
        return NormalizeContext(
            today=context.now.date(),
            resolve_person=people.resolve if people is not None else None,
            requester=context.requester,
            text_guard=self.text_guard(context),
        )

    def proposal(self, reading: Reading, context: ParseContext) -> Proposal:
        return Proposal(
            intent=reading.intent,
            confidence=reading.confidence,
            slots=reading.slots,
            slot_confidence=reading.slot_confidence,
            errors=reading.errors,
            missing=self.missing(reading.type_id, reading.slots, context),
            parser=self.name,
            llm_calls=1,
        )

    def missing(self, type_id: str | None, slots: dict[str, Any], context: ParseContext) -> list[str]:
        """Required fields of the type still empty, counting the open draft's values."""
        if type_id is None or type_id not in self.catalog:
            return []
        values = {**(context.draft_values if context.draft_type == type_id else {}), **slots}
        return missing_fields(self.catalog.get(type_id), values)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
