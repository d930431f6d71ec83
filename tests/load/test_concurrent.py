"""The app under load: 20 concurrent conversations x 5 questions through gradio_client, real index.

Every call must succeed; every answer must be the one its question gets alone (well-formed, and
cited with complete sources when the question is in scope: the scope decision is not what this
test is about); and every conversation must see only its own turns (sessions do not bleed into
each other under concurrency). The latency under this load is measured by the benchmark
(bench/results.md), not asserted here.
"""

from __future__ import annotations

import re
import socket
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

import pytest

from secretarisbot.settings import Settings

CONVERSATIONS = 20
QUESTIONS_PER_CONVERSATION = 5
#: Generous guard against a hang (a deadlock or a lost queue event), not a speed requirement.
HANG_GUARD_S = 1500

#: Situations squarely inside the guides, in secretaries' words; rotated over the conversations.
QUESTIONS = [
    "Wat doe ik als de mede-directeur blokkeert?",
    "Hoe houd ik draagvlak in de raad tijdens een herindeling?",
    "Hoe ga ik om met cultuurverschillen na een ambtelijke fusie?",
    "Welke rol past bij mij in de verkenningsfase?",
    "Mijn burgemeester wil sneller dan de raad, hoe manoeuvreer ik daartussen?",
    "De ondernemingsraad ligt dwars bij het plaatsingsproces, wat nu?",
    "Hoe verdelen we de kosten eerlijk in een gemeenschappelijke regeling?",
    "Wanneer kies je voor een ambtelijke fusie in plaats van een bestuurlijke herindeling?",
    "Hoe houd ik de eigen identiteit van de dorpen overeind na de samenvoeging?",
    "Wat moet ik als goede werkgever doen voor mensen die hun functie kwijtraken?",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def text_of(message: dict[str, Any]) -> str:
    content = message["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


@pytest.fixture(scope="module")
def app_url(real_settings: Settings):
    from secretarisbot.ui.app import build_app, launch_app

    settings = real_settings.model_copy(update={"port": free_port()})
    demo = build_app(settings)
    launch_app(demo, settings, prevent_thread_lock=True, quiet=True)
    assert demo.server_name == "127.0.0.1"
    yield f"http://127.0.0.1:{settings.port}/"
    demo.close()


def assert_cited_turn(chatbot: list[dict[str, Any]], question: str) -> None:
    user, answer, sources = chatbot[-3:]
    assert user["role"] == "user" and text_of(user) == question
    body = text_of(answer)
    assert answer["role"] == "assistant" and body.strip()
    assert "Traceback" not in body and "Er ging iets mis" not in body
    markers = {int(n) for n in re.findall(r"\[\\\[(\d+)\\\]\]\(\?doc=", body)}
    assert markers, f"no reader-linked [n] in the answer to {question!r}: {body[:300]}"
    title = (sources.get("metadata") or {}).get("title") or ""
    count = int(re.fullmatch(r"Bronnen \((\d+)\)", title).group(1))
    listed = {int(n) for n in re.findall(r"^\*\*\[(\d+)\] ", text_of(sources), flags=re.M)}
    assert len(listed) == count and markers <= listed  # every [n] in the text has its source
    assert text_of(sources).count("Open in de lezer") == count


def converse(url: str, questions: list[str]) -> list[list[dict[str, Any]]]:
    from gradio_client import Client

    client = Client(url, verbose=False)
    results = []
    for q in questions:
        chatbot, *_ = client.predict(q, "Alle vier", api_name="/vraag")
        results.append(chatbot)
    return results


def is_cited(answer: dict[str, Any]) -> bool:
    return bool(re.search(r"\[\\\[\d+\\\]\]\(\?doc=", text_of(answer)))


@pytest.mark.integration
@pytest.mark.slow
def test_twenty_concurrent_conversations_of_five_questions(app_url: str) -> None:
    # each question alone first: what it gets without load (cited, or an honest refusal)
    alone = {q: converse(app_url, [q])[0][1] for q in QUESTIONS}
    assert sum(is_cited(a) for a in alone.values()) >= len(QUESTIONS) - 1  # situations the guides cover
    plans = [
        [QUESTIONS[(c + i) % len(QUESTIONS)] for i in range(QUESTIONS_PER_CONVERSATION)]
        for c in range(CONVERSATIONS)
    ]
    with ThreadPoolExecutor(max_workers=CONVERSATIONS) as pool:
        futures = [pool.submit(converse, app_url, plan) for plan in plans]
        done, not_done = wait(futures, timeout=HANG_GUARD_S)
        assert not not_done, f"{len(not_done)} conversations still running after {HANG_GUARD_S} s"
    for plan, future in zip(plans, futures, strict=True):
        results = future.result()  # re-raises a failed call
        assert len(results) == len(plan)
        for turn, (question, chatbot) in enumerate(zip(plan, results, strict=True)):
            # Each turn adds user + answer (+ sources when cited); only this conversation's
            # questions appear.
            expected = sum(3 if is_cited(alone[q]) else 2 for q in plan[: turn + 1])
            assert len(chatbot) == expected
            assert [text_of(m) for m in chatbot if m["role"] == "user"] == plan[: turn + 1]
            if is_cited(alone[question]):
                assert_cited_turn(chatbot, question)
            else:
                assert text_of(chatbot[-1]) == text_of(alone[question])  # the same refusal as alone
