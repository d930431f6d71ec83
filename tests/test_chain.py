"""Assistant.chain through LangChain's public Runnable interface (real index, fake chat models).

    bot.chain.invoke("Wat doe ik als de mede-directeur blokkeert?")   # -> Answer
    bot.chain.stream({"question": ..., "history": [...], "filters": {...}})
    bot.chain.batch([...])
"""

from __future__ import annotations

import re

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.runnables import Runnable, RunnableLambda

from secretarisbot import Assistant
from secretarisbot.answer import prompts as P
from secretarisbot.answer.citations import validate
from secretarisbot.errors import InputError
from secretarisbot.model import Answer
from secretarisbot.settings import Settings

MEDE = "wat doe ik als de mede-directeur blokkeert"
RAAD = "hoe houd ik de raad aan boord tijdens een herindeling"
OUT = "Wat is het recept voor appeltaart?"
#: What a chat model might write for MEDE: the parts its bronnenmodus answer has (an answer and a
#: recognised situation), citing prompt passages 1 and 2.
WRITTEN = (
    "**Antwoord**\nMaak afspraken over escalatie [2].\n\n"
    "**Herkenning**\nEen mede-directeur die blokkeert zet de samenwerking klem [1]."
)


@pytest.fixture(scope="module")
def bot(real_settings: Settings) -> Assistant:
    return Assistant(real_settings)


def _same(a: Answer, b: Answer) -> bool:
    return a.answer == b.answer and a.citations == b.citations and a.in_scope == b.in_scope


class TestBronnenmodusChain:
    def test_is_a_runnable_that_answers(self, bot: Assistant) -> None:
        assert isinstance(bot.chain, Runnable)
        answer = bot.chain.invoke(MEDE)
        assert isinstance(answer, Answer) and answer.mode == "bronnen" and answer.in_scope
        assert _same(answer, bot.ask(MEDE))
        assert validate(answer.answer, answer.citations) == []

    def test_stream_grows_to_the_answer(self, bot: Assistant) -> None:
        partials = list(bot.chain.stream({"question": MEDE}))
        assert len(partials) >= 3
        assert [len(p.sections) for p in partials] == sorted(len(p.sections) for p in partials)
        assert _same(partials[-1], bot.ask(MEDE))

    def test_history_role_and_filters_in_the_input(self, bot: Assistant) -> None:
        answer = bot.chain.invoke(
            {"question": MEDE, "role": "Politicus", "filters": {"document": "000"}, "history": [RAAD]}
        )
        assert answer.primary_role == "Politicus"
        assert answer.passages and {p.document for p in answer.passages} == {"000"}
        assert _same(answer, bot.ask(MEDE, [RAAD], role="Politicus", filters={"document": "000"}))

    def test_batch(self, bot: Assistant) -> None:
        answers = bot.chain.batch([MEDE, RAAD, OUT])
        assert [a.in_scope for a in answers] == [True, True, False]
        assert all(_same(a, bot.ask(q)) for a, q in zip(answers, [MEDE, RAAD, OUT]))

    def test_composes_with_other_runnables(self, bot: Assistant) -> None:
        first_source = RunnableLambda(lambda q: {"question": q}) | bot.chain | (lambda a: a.citations[0].text)
        assert first_source.invoke(MEDE) == bot.ask(MEDE).citations[0].text

    def test_bad_input_is_a_dutch_error(self, bot: Assistant) -> None:
        with pytest.raises(InputError, match="De vraag is leeg"):
            bot.chain.invoke({"question": "  "})
        with pytest.raises(InputError, match="Onbekend veld 'vraag'"):
            bot.chain.invoke({"vraag": MEDE})


class TestLLMChain:
    """LLM mode through the same chain, with LangChain's fake chat models."""

    def test_the_model_writes_the_answer(self, real_settings: Settings) -> None:
        bot = Assistant(real_settings, chat_model=GenericFakeChatModel(messages=iter([WRITTEN])))
        answers = list(bot.chain.stream(MEDE))
        partials, final = answers[:-1], answers[-1]
        assert len(partials) > 10 and all(p.mode == "llm" for p in partials)
        assert final.mode == "llm" and final.notice is None
        assert "**Bronnen**" in final.answer
        numbers = {c.n for c in final.citations}
        assert numbers == {1, 2}
        assert all(int(n) in numbers for n in re.findall(r"\[(\d+)\]", final.answer))
        assert {"retrieve", "compose", "llm", "total"} <= set(final.timings_ms)

    def test_invalid_text_falls_back_after_streaming(self, real_settings: Settings) -> None:
        bot = Assistant(real_settings, chat_model=GenericFakeChatModel(messages=iter(["Geen idee eigenlijk."])))
        answers = list(bot.chain.stream(MEDE))
        assert answers[0].mode == "llm"  # the text streamed ...
        final = answers[-1]  # ... and then the answer fell back
        assert final.mode == "bronnen" and final.notice.startswith("De taalmodel-verbinding gaf geen bruikbaar")
        assert P.LLM_REASON_NO_CITATIONS in final.notice
        assert final.answer == Assistant(real_settings).ask(MEDE).answer

    def test_invoke_falls_back_through_with_fallbacks(self, real_settings: Settings) -> None:
        model = FakeListChatModel(responses=[])  # fails before its first token: IndexError
        bot = Assistant(real_settings, chat_model=model)
        for answer in (bot.chain.invoke(MEDE), list(bot.chain.stream(MEDE))[-1]):
            assert answer.mode == "bronnen" and "fout: IndexError" in answer.notice

    def test_out_of_scope_never_calls_the_model(self, real_settings: Settings) -> None:
        model = FakeListChatModel(responses=[WRITTEN])
        answer = Assistant(real_settings, chat_model=model).chain.invoke(OUT)
        assert not answer.in_scope and model.i == 0


PROFESSION = "De burgemeester stuurt mijn afdelingshoofden rechtstreeks aan en houdt mij buiten de lijn. Hoe pak ik dat aan?"
WHICH_ROLE = "Ik kom uit de financiële hoek, ik was concerncontroller. Welke rol past bij mij nu ik een fusie moet leiden?"
LIST = "Wat zijn de zeven stops van de VNG-handreiking?"
#: A one-part answer, as a model asked for the Antwoord alone writes it.
ANSWERED = "**Antwoord**\nBespreek de rolverdeling met de burgemeester [1]."


class TestLLMShape:
    """The parts the model is asked for follow the bronnenmodus answer's shape (issue 11: the
    shape follows the question, in LLM mode too)."""

    @staticmethod
    def _prompt(bot: Assistant, question: str) -> tuple[list[str], dict[str, str]]:
        from secretarisbot.answer.llm import llm_parts, prompt_inputs, prompt_sources
        from secretarisbot.model import Context

        draft = bot.ask(question)
        context = Context(question=question, query=question, passages=draft.passages)
        return llm_parts(draft), prompt_inputs(context, draft, prompt_sources(context, draft))

    def test_a_profession_question_gets_no_merger_framing_or_roles(self, bot: Assistant) -> None:
        parts, inputs = self._prompt(bot, PROFESSION)
        assert parts == ["Antwoord"]
        assert inputs["situation"] == "" and inputs["roles"] == ""
        assert inputs["parts"] == f"**Antwoord**: {P.LLM_PARTS['Antwoord']}."

    def test_which_role_fits_leads_with_the_roles(self, bot: Assistant) -> None:
        parts, inputs = self._prompt(bot, WHICH_ROLE)
        assert parts[0] == "Vanuit je rol" and "Antwoord" in parts
        assert inputs["roles"].startswith("Roltypen, best passende eerst:\n- ")
        assert inputs["parts"].index("**Vanuit je rol**:") < inputs["parts"].index("**Antwoord**:")

    def test_a_merger_situation_is_recognised_in_the_guides_words(self, bot: Assistant) -> None:
        draft = bot.ask("Onze raad wil dat de werkorganisatie vooral onze eigen gemeente dient. Hoe houd ik draagvlak voor de gekozen fusievorm?")
        line = next(s.items[0].text for s in draft.sections if s.kind == "situation")
        parts, inputs = self._prompt(bot, draft.question)
        assert "Herkenning" in parts and inputs["situation"] == P.LLM_SITUATION_BLOCK.format(situation=line)

    def test_a_list_the_guide_gives_is_answered_as_composed(self, real_settings: Settings) -> None:
        model = FakeListChatModel(responses=[WRITTEN])
        answer = Assistant(real_settings, chat_model=model).chain.invoke(LIST)
        assert answer.in_scope and answer.mode == "bronnen" and model.i == 0
        assert any(s.kind == "overview" for s in answer.sections)

    def test_a_one_part_answer_is_valid_with_its_heading(self, real_settings: Settings) -> None:
        final = Assistant(real_settings, chat_model=FakeListChatModel(responses=[ANSWERED])).chain.invoke(PROFESSION)
        assert final.mode == "llm" and final.notice is None
        assert final.answer.startswith("**Antwoord**\n\nBespreek de rolverdeling met de burgemeester [1].")
        headless = Assistant(real_settings, chat_model=FakeListChatModel(responses=[ANSWERED.split("\n", 1)[1]]))
        fell_back = headless.chain.invoke(PROFESSION)
        assert fell_back.mode == "bronnen" and P.LLM_REASON_NO_SECTIONS in fell_back.notice
