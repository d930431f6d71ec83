"""Optional LLM-judged faithfulness and answer relevancy (RAGAS-style, one call per score).

Runs only when ``settings.llm`` selects a chat model. Each score is the judge's number in [0, 1]:

- faithfulness: the share of the answer's claims that the cited passages support;
- answer relevancy: how directly the answer addresses the question.

The judge is the same model the product may use in LLM mode, so scores are indicative only
(a model judging its own kind of output is lenient); small local models give noisy numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from secretarisbot.settings import Settings

FAITHFULNESS_PROMPT = """You grade a Dutch answer written for a municipal secretary.
SOURCES (the passages the answer cites):
{sources}

ANSWER:
{answer}

What share of the factual claims in the ANSWER is supported by the SOURCES? Reply with one number
between 0 and 1 and nothing else."""

RELEVANCY_PROMPT = """You grade a Dutch answer written for a municipal secretary.
QUESTION:
{question}

ANSWER:
{answer}

How directly and usefully does the ANSWER address the QUESTION (1 = fully, 0 = not at all)?
Reply with one number between 0 and 1 and nothing else."""

_NUMBER = re.compile(r"(?<![\d.])(0(?:[.,]\d+)?|1(?:[.,]0+)?)(?![\d.])")


def parse_score(text: str) -> float | None:
    """The first number in [0, 1] in the judge's reply: ``parse_score("Score: 0,75")`` -> 0.75."""
    match = _NUMBER.search(text or "")
    return float(match.group(1).replace(",", ".")) if match else None


def _content(reply: Any) -> str:
    content = getattr(reply, "content", reply)
    if isinstance(content, list):
        return " ".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return str(content)


def judge_answers(
    answers: Sequence[Mapping[str, Any]],
    settings: Settings,
    chat_model: Any | None = None,
    on_item: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Score in-scope answers; returns ``{"skipped": reason}`` or per-answer scores and their means."""
    if chat_model is None:
        if not settings.llm:
            return {"skipped": "no LLM configured (SECRETARISBOT_LLM is not set), so nothing can judge"}
        try:
            from secretarisbot.answer.llm import get_chat_model

            chat_model = get_chat_model(settings)
        except Exception as err:  # noqa: BLE001 - any configuration problem means: skip, say why
            return {"skipped": f"the configured LLM could not be started: {err}"}
        if chat_model is None:
            return {"skipped": f"SECRETARISBOT_LLM={settings.llm!r} selects no chat model"}
    per_item: list[dict[str, Any]] = []
    failures = 0
    for answer in answers:
        sources = "\n\n".join(f"[{c['n']}] {c['text']}" for c in answer.get("citations", []))
        scores: dict[str, Any] = {"question": answer.get("question", "")}
        for name, prompt in (("faithfulness", FAITHFULNESS_PROMPT), ("answer_relevancy", RELEVANCY_PROMPT)):
            try:
                reply = chat_model.invoke(prompt.format(sources=sources or "(geen)", answer=answer.get("answer", ""),
                                                        question=answer.get("question", "")))
                scores[name] = parse_score(_content(reply))
            except Exception:  # noqa: BLE001 - a failed call counts as unscored
                scores[name] = None
                failures += 1
        per_item.append(scores)
        if on_item:
            on_item()

    def _mean(key: str) -> float | None:
        vals = [s[key] for s in per_item if s.get(key) is not None]
        return sum(vals) / len(vals) if vals else None

    return {
        "faithfulness": _mean("faithfulness"),
        "answer_relevancy": _mean("answer_relevancy"),
        "judged": len(per_item),
        "failed_calls": failures,
        "items": per_item,
    }
