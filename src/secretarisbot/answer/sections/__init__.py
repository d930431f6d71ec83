"""The sections of a bronnenmodus answer, one small module each. Each takes the
:class:`~secretarisbot.answer.draft.Draft` and returns an ``AnswerSection`` or None (nothing
relevant enough, or no room left in the budget).

- :mod:`.kern`       "In het kort": the lead's sentences in which the reader acts, before the lead
- :mod:`.lead`       the 1–3 best retrieved passages, each a coherent excerpt, best first
- :mod:`.help`       where a secretary finds help, when the evidence is about their own position
- :mod:`.framing`    spanningsveld, phase and form, only when the evidence is clear
- :mod:`.options`    Bijlage I interventions that clear a relevance bar, of the form the question
                     clearly reads as
- :mod:`.roles`      the best-fitting role: what it is (when there is room) and its line of the
                     handelingsperspectief, right after the evidence; the others a line each
- :mod:`.stances`    where the guides disagree: who says what
- :mod:`.reflection` one question to ask yourself, chosen for relevance, never repeated
- :mod:`.more`       further retrieved passages by title ("Meer in de bronnen")
- :mod:`.overview`   the guides' own lists and the sources themselves
"""
