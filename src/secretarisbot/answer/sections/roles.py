"""The four role types of the Handreiking (§2.3) as a lens: the best-fitting role with its cited
handelingsperspectief, the others a line each (folded in the app)."""

from __future__ import annotations

from secretarisbot.answer import prompts as P
from secretarisbot.answer.draft import Draft
from secretarisbot.answer.excerpt import Excerpt, excerpt
from secretarisbot.model import ROLES, AnswerItem, AnswerSection, Passage
from secretarisbot.text import stems

BEST_WORDS = 40
OTHER_WORDS = 22
#: A chosen role's line on a profession question must share with the question at least as much as
#: one word the guides rarely use (rarity weight 1.0, Sources.stem_weights): "rol" (0.49) or
#: "college" (0.43) alone is not enough, "integriteit" (1.0) is.
MIN_SHARED = 1.0


def _guide(draft: Draft, **how: bool) -> str:
    """The guide of the role types, as a sentence names it."""
    return draft.sources.guide_of(lambda p: p.role is not None, **how)


def _acts(passage: Passage, role: str) -> bool:
    """A §2.3.1 handelingsperspectief cell: what the role *does* ("Politicus – Handelingsperspectief:")."""
    return passage.text.lstrip().lower().startswith(f"{role.lower()} – handelingsperspectief")


def _line(draft: Draft, role: str, words: int) -> Excerpt | None:
    """The role's handelingsperspectief (else its other passages) as the retriever ranks them for
    this question, as an excerpt not said before in the conversation nor quoted already in this
    answer (a role passage can lead the answer too)."""
    found = [p for p in draft.role_passages if p.role == role]
    for p in sorted(found, key=lambda p: not _acts(p, role)):
        ex = excerpt(p, draft.terms, words)
        if ex is not None and not draft.said(ex.text) and not any(draft.quoted(p.id, span) for span in ex.spans):
            return ex
    return None


def chosen_role(draft: Draft) -> list[AnswerSection]:
    """A role chosen in the app, on a question about the profession outside a merger: the role
    types are about a merger, so only the chosen role's line, and only when the question's own
    retrieval ranked one of its passages high and the line shares a telling word with the question (a
    user check and a review found fusion advice here: "… geef de grenzen aan van wat aan maatwerk
    mogelijk is;" on an integrity incident). Otherwise a sentence that says so."""
    role = draft.role
    if role is None:
        return []
    title = P.SECTION_TITLES["roles"]
    ex = _line(draft, role, BEST_WORDS)
    own = {p.id for p in draft.role_passages if p.role == role}
    rarity = draft.sources.stem_weights()
    shared = set(stems(draft.context.question)) & set(stems(ex.text)) if ex is not None else set()
    if (ex is not None and own & draft.relevant and sum(rarity.get(st, 1.0) for st in shared) >= MIN_SHARED
            and draft.fits(ex.passage, len(ex.text.split()))):
        n = draft.cite(ex)
        return [AnswerSection(kind="roles", title=title, items=[
            AnswerItem(text=ex.text, citations=[n], role=role, label=P.T_ROLE_CHOSEN)])]
    text = P.T_ROLE_NOT_HERE.format(role=role, doc=_guide(draft, article=True))
    draft.spend(text)
    return [AnswerSection(kind="text", title=title, items=[AnswerItem(text=text, quote=False)])]


def roles(draft: Draft, *, full: bool = False) -> list[AnswerSection]:
    """The best-fitting (or chosen) role with its line, and the other roles a line each in a
    folded section; ``full`` (a question about the roles themselves) shows every role unfolded.
    Nothing when the evidence names no role and none was chosen."""
    reading = draft.reading
    best = draft.role or reading.primary_role
    if best is None:
        return []
    # The relevance bar of the unasked role section: the question's own retrieval ranked one of
    # the best role's passages near the top; otherwise its lines would be generic for this question.
    if not full and draft.role is None:
        own = [p.id for p in draft.role_passages if p.role == best]
        if not any(pid in draft.relevant for pid in own):
            return []
    order = [best] + [r for r, _ in reading.ranked_roles() if r != best]
    lines: list[AnswerItem] = []
    for i, role in enumerate(order):
        ex = _line(draft, role, BEST_WORDS if i == 0 else OTHER_WORDS)
        if ex is None or not draft.fits(ex.passage, len(ex.text.split())):
            if i == 0 and not full:
                # no line for the role that fits best (said before, or no room): then no role
                # section, rather than other roles' lines under an answer whose primary_role is
                # this one (a review found "Politicus" reported with only a Veranderkundige line)
                return []
            continue
        n = draft.cite(ex)
        label = ""
        if i == 0:
            label = P.T_ROLE_CHOSEN if draft.role else (P.T_ROLE_TIE if len(reading.role_tie) > 1 else P.T_ROLE_BEST)
        lines.append(AnswerItem(text=ex.text, citations=[n], role=role, label=label))
    if not lines:
        return []
    intro = P.T_ROLES_INTRO.format(Doc=_guide(draft, capital=True))
    if len(reading.role_tie) > 1 and draft.role is None:
        intro += " " + P.T_ROLES_TIE.format(roles=" en ".join(r for r in ROLES if r in reading.role_tie))
    draft.spend(intro)
    title = P.SECTION_TITLES["roles"]
    # roles that fit equally well are all shown: the intro names them (a review found a tie of
    # two roles announced with only one role's line in view)
    tied = set(reading.role_tie) if len(reading.role_tie) > 1 and draft.role is None else set()
    shown = [item for i, item in enumerate(lines) if i == 0 or item.role in tied]
    rest = [item for item in lines if item not in shown]
    if full or not rest:
        return [AnswerSection(kind="roles", title=title, intro=intro, items=lines)]
    return [
        AnswerSection(kind="roles", title=title, intro=intro, items=shown),
        AnswerSection(kind="roles", title=P.SECTION_TITLES["other_roles"], items=rest, folded=True),
    ]
