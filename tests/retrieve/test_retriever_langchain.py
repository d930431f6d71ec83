"""HybridRetriever through LangChain's public retriever and LCEL interfaces only.

    docs = retriever.invoke("wat doe ik als de mede-directeur blokkeert?")
    chain = {"context": retriever | format_docs, "question": RunnablePassthrough()} | prompt | model
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.documents import Document
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnablePassthrough

from secretarisbot.errors import InputError
from secretarisbot.retrieve.retriever import HybridRetriever
from secretarisbot.settings import Settings

QUESTION = "mijn mede-directeur blokkeert de benoeming van een teammanager"
DEADLOCK = "Zijn mede-directeur blokkeert"  # 000, spanningsveld 3 case (Simon)


@pytest.fixture
def retriever(fake_index) -> HybridRetriever:
    return HybridRetriever(fake_index, Settings(), k=5)


class _Prompts(BaseCallbackHandler):
    """Records the messages every chat model of a run was given."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    def on_chat_model_start(self, serialized, messages, **kwargs) -> None:  # noqa: ANN001
        self.messages.extend(messages)


class TestRetrieverInterface:
    def test_is_a_langchain_retriever(self, retriever: HybridRetriever) -> None:
        assert isinstance(retriever, BaseRetriever)

    def test_invoke_returns_documents_with_passage_metadata(self, retriever: HybridRetriever) -> None:
        docs = retriever.invoke(QUESTION)
        assert len(docs) == 5 and all(isinstance(d, Document) for d in docs)
        assert any(DEADLOCK in d.page_content for d in docs[:3])
        ours = retriever.retrieve(QUESTION, k=5).passages
        assert [d.id for d in docs] == [p.id for p in ours]
        first = docs[0].metadata
        assert first["id"] == docs[0].id and first["rank"] == 1
        assert {"document", "title", "section", "kind", "start", "end", "score"} <= first.keys()
        assert "text" not in first  # the text is the page content

    def test_filters_through_the_run_config(self, retriever: HybridRetriever) -> None:
        docs = retriever.invoke(QUESTION, config={"configurable": {"filters": {"kind": "intervention"}, "k": 3}})
        assert len(docs) == 3
        assert {d.metadata["kind"] for d in docs} == {"intervention"}

    def test_filters_through_the_constructor(self, fake_index) -> None:
        only_groei = HybridRetriever(fake_index, Settings(), filters={"document": "002"}, k=4)
        docs = only_groei.invoke(QUESTION)
        assert len(docs) == 4 and {d.metadata["document"] for d in docs} == {"002"}
        # the run config wins over the constructor
        docs = only_groei.invoke(QUESTION, config={"configurable": {"filters": {"document": "000"}}})
        assert {d.metadata["document"] for d in docs} == {"000"}

    def test_history_through_the_run_config(self, retriever: HybridRetriever) -> None:
        follow_up = "En wat als hij dat blijft doen?"
        history = [{"role": "user", "content": QUESTION}]
        docs = retriever.invoke(follow_up, config={"configurable": {"history": history}})
        resolved = retriever.retrieve(follow_up, history, k=5).passages
        assert [d.id for d in docs] == [p.id for p in resolved]
        assert [d.id for d in docs] != [d.id for d in retriever.invoke(follow_up)]

    def test_batch(self, retriever: HybridRetriever) -> None:
        questions = [QUESTION, "hoe houd ik de raad aan boord tijdens een herindeling"]
        batched = retriever.batch(questions)
        assert [[d.id for d in docs] for docs in batched] == [[d.id for d in retriever.invoke(q)] for q in questions]

    def test_a_bad_filter_is_a_dutch_error(self, retriever: HybridRetriever) -> None:
        with pytest.raises(InputError, match="Onbekende soort passage 'casus'"):
            retriever.invoke(QUESTION, config={"configurable": {"filters": {"kind": "casus"}}})


def test_in_a_plain_lcel_chain(retriever: HybridRetriever) -> None:
    """The RAG chain of LangChain's docs, with our retriever in the retriever's place."""

    def format_docs(docs: list[Document]) -> str:
        return "\n\n".join(d.page_content for d in docs)

    prompt = ChatPromptTemplate.from_messages(
        [("system", "Beantwoord de vraag met deze context:\n\n{context}"), ("human", "{question}")]
    )
    model = FakeListChatModel(responses=["Zoek een onafhankelijk voorzitter."])
    chain = {"context": retriever | format_docs, "question": RunnablePassthrough()} | prompt | model | StrOutputParser()

    prompts = _Prompts()
    out = chain.invoke(QUESTION, config={"callbacks": [prompts]})

    assert out == "Zoek een onafhankelijk voorzitter."
    (system, human), = prompts.messages
    assert human.content == QUESTION
    for doc in retriever.invoke(QUESTION):
        assert doc.page_content in system.content
    assert DEADLOCK in system.content
