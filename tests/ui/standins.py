"""Small stand-ins for the index and the assistant, built from the real corpus texts.

They follow the contracts in the team brief (``open_index`` / ``Assistant.stream``) so the UI
can be tested without a vector index; the integration tests use the real ones.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from secretarisbot.corpus import load_documents, load_passages, normalize_document
from secretarisbot.model import Answer, AnswerItem, AnswerSection, Citation, Message, RolePerspective
from secretarisbot.render import markdown
from secretarisbot.settings import Settings
from secretarisbot.ui.services import lexical_search


class CorpusIndex:
    """The Index contract over the corpus API (no vectors)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.documents = load_documents(settings)
        self.passages = load_passages(settings)
        self._by_id = {p.id: p for p in self.passages}
        self._texts: dict[str, str] = {}

    def passage(self, passage_id: str):
        return self._by_id.get(passage_id)

    def normalized(self, doc_id: str) -> str:
        if doc_id not in self._texts:
            doc = next(d for d in self.documents if d.id == doc_id)
            self._texts[doc_id] = normalize_document(doc, self.settings)
        return self._texts[doc_id]


class LexicalAssistant:
    """Answers by quoting the best-matching passages; records what it was asked."""

    def __init__(self, index: CorpusIndex) -> None:
        self.index = index
        self.calls: list[tuple[str, list[Message], str | None]] = []

    def stream(self, question: str, history: Sequence[Message] = (), *, role: str | None = None) -> Iterator[Answer]:
        self.calls.append((question, list(history), role))
        hits = lexical_search(self.index.passages, question, 3)
        # each quotes the start of its passage (offsets into the passage text, as the product's do)
        cites = [Citation.of(i, p).model_copy(update={"quotes": [(0, min(len(p.text), 120))]})
                 for i, p in enumerate(hits, start=1)]
        lead = AnswerSection(kind="lead", title="Wat de bronnen zeggen", items=[
            AnswerItem(text=" ".join(p.text.split()[:25]) + " …", citations=[i], label=p.section.split("›")[-1].strip())
            for i, p in enumerate(hits, start=1)
        ])
        partial = Answer(question=question, answer="", sections=[lead], citations=cites)
        yield partial.model_copy(update={"answer": markdown(partial)})
        sections = [lead]
        roles = []
        if role:
            roles = [RolePerspective(role=role, text="Begin bij de bron.", citations=[1])]
            sections.append(AnswerSection(kind="roles", title="Vanuit je rol", items=[
                AnswerItem(text="Begin bij de bron.", citations=[1], role=role, label="de rol die je koos")]))
        final = Answer(question=question, answer="", sections=sections, citations=cites, roles=roles,
                       primary_role=role, follow_ups=["Hoe houd ik de raad aan boord?"])
        yield final.model_copy(update={"answer": markdown(final)})

    def ask(self, question: str, history: Sequence[Message] = (), *, role: str | None = None, filters=None) -> Answer:
        return list(self.stream(question, history, role=role))[-1]
