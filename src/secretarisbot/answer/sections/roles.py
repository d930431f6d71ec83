"""The four role types of the Handreiking (§2.3) as a lens: the best-fitting role, what it is (a line
of its description) and its cited handelingsperspectief; the others a line each (folded in the app).
A question that names role types gets those (:func:`asked`)."""

from __future__ import annotations

from collections.abc import Sequence

from secretarisbot.answer import prompts as P
from secretarisbot.answer.citations import sentence_spans
from secretarisbot.answer.draft import Draft
from secretarisbot.answer.excerpt import ACTS_CELL, Excerpt, excerpt, opening, role_cell
from secretarisbot.model import ROLES, AnswerItem, AnswerSection, Passage
from secretarisbot.text import stems

#: The best role's line: one bullet or sentence of its handelingsperspectief, the one that fits the
#: question. At 40 words two short bullets fitted where two long ones did not, so the same pair
#: won on length for most questions (Goede werkgever's "Bewust doorbreken van (bestuurlijke)
#: zelfgenoegzaamheid …" in 7 of 44 dev answers, a review found it in three unrelated answers); at
#: 30 the dev answers show 23 different lines instead of 19, every eval number unchanged.
BEST_WORDS = 30
OTHER_WORDS = 22
#: The best role's description, quoted before its handelingsperspectief: its opening sentence (the
#: four descriptions open with one of 13-28 words) or, for the Politicus, its stem and items:
DESCRIPTION_WORDS = 30
#: ... and one that opens with a list: the Politicus' description opens with a stem and two items
#: (45 words); quoted together they say what the role is, an item alone does not ("... in de
#: context van een herindeling - aan te sturen op bestuurlijke wendbaarheid.": the fourteenth
#: review called it a loose fragment; on the dev splits 9 answers had such an item).
DESCRIPTION_LIST_WORDS = 50
#: A chosen role's line on a profession question must share with the question at least as much as
#: one word the guides rarely use (rarity weight 1.0, Sources.stem_weights): "rol" (0.49) or
#: "college" (0.43) alone is not enough, "integriteit" (1.0) is.
MIN_SHARED = 1.0


def _guide(draft: Draft, **how: bool) -> str:
    """The guide of the role types, as a sentence names it."""
    return draft.sources.guide_of(lambda p: p.role is not None, **how)


def _acts(passage: Passage, role: str) -> bool:
    """A §2.3.1 handelingsperspectief cell: what the role *does* ("Politicus – Handelingsperspectief:")."""
    return role_cell(passage, role=role) == ACTS_CELL


def _describes(passage: Passage, role: str) -> bool:
    """A role's own description in §2.3 ("Veranderkundige – Kiest bewust voor een rol waarin …"):
    the passage whose section is the role itself, not one of its §2.3.1 cells."""
    return passage.section.split("›")[-1].strip() == role


def _background(passage: Passage, role: str) -> list[tuple[int, int]]:
    """The sentence spans of the paragraph that closes a role's own description: what its holder
    brings along ("Heeft vaak zelf politieke ervaring …", "Neemt ervaring mee uit een rol als
    concerncontroller …"), each of the four descriptions ends with one. It says who the role suits,
    not how the role looks at a question: two reviews found it quoted as the role's line on a
    situation. (A question which role fits the asker keeps it: there it is the point.) Nothing for
    a passage that is no description, or one of one paragraph."""
    if not _describes(passage, role):
        return []
    text = passage.text.rstrip()
    cut = text.rfind("\n\n")
    if cut <= 0 or not text[:cut].strip().split("\n", 1)[-1].strip():
        return []
    return [(a, b) for a, b in sentence_spans(passage.text) if a > cut]


def _telling(draft: Draft, ex: Excerpt) -> bool:
    """Whether ``ex`` shares with the question itself at least :data:`MIN_SHARED` of the words the
    guides rarely use: a line about this question, not one the role says about every question.
    The turn's own words: a short follow-up ("En de medewerkers?") rarely shows another role."""
    rarity = draft.sources.stem_weights()
    shared = set(stems(draft.context.question)) & set(stems(ex.text))
    return sum(rarity.get(st, 1.0) for st in shared) >= MIN_SHARED


def _fresh(draft: Draft, ex: Excerpt | None) -> bool:
    """Not said before in the conversation nor quoted already in this answer."""
    return (ex is not None and not draft.said(ex.text)
            and not any(draft.quoted(ex.passage.id, span) for span in ex.spans))


def _description(draft: Draft, role: str, background: bool = False, lists: bool = False) -> Excerpt | None:
    """What the role is, in its own description's words: the description's opening sentence
    ("Kiest bewust voor een rol waarin …"), or where that opens a list (the Politicus: "Leunt op …
    of" and two items) the stem with its items; for an asker who wants to know which role fits
    them (``background`` without ``lists``) rather the sentence that fits the question, its
    holder's background included, but never an item alone (excerpt.loose_items); a line new to
    the conversation."""
    for p in draft.role_passages:
        if p.role == role and _describes(p, role):
            listed = opening(p, DESCRIPTION_LIST_WORDS, lists=True)
            if background and not lists:
                ex = opening(p, DESCRIPTION_WORDS) or excerpt(p, draft.terms, DESCRIPTION_WORDS) or listed
            else:
                skip = [] if background else _background(p, role)
                ex = opening(p, DESCRIPTION_WORDS) or listed or excerpt(p, draft.terms, DESCRIPTION_WORDS, skip=skip)
            return ex if _fresh(draft, ex) else None
    return None


def _line(draft: Draft, role: str, words: int, besides: str | None = None, background: bool = False) -> Excerpt | None:
    """The role's handelingsperspectief (else its other passages but ``besides``) as the retriever
    ranks them for this question, as an excerpt not said before in the conversation nor quoted
    already in this answer (a role passage can lead the answer too); the description's closing
    background (:func:`_background`) only when ``background``."""
    found = [p for p in draft.role_passages if p.role == role and p.id != besides]
    for p in sorted(found, key=lambda p: not _acts(p, role)):
        ex = excerpt(p, draft.terms, words, skip=[] if background else _background(p, role))
        if _fresh(draft, ex):
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
    if ex is not None and own & draft.relevant and _telling(draft, ex) and draft.fits(ex.passage, len(ex.text.split())):
        n = draft.cite(ex)
        return [AnswerSection(kind="roles", title=title, items=[
            AnswerItem(text=ex.text, citations=[n], role=role, label=P.T_ROLE_CHOSEN)])]
    text = P.T_ROLE_NOT_HERE.format(role=role, doc=_guide(draft, article=True))
    draft.spend(text)
    return [AnswerSection(kind="text", title=title, items=[AnswerItem(text=text, quote=False)])]


def _what_it_is_and_does(
    draft: Draft, role: str, label: str, background: bool, lists: bool = False, labels_description: bool = False,
) -> list[AnswerItem]:
    """A role's description (labelled ``label``) and its line (labelled by the cell it is quoted
    from), or its line alone when both do not fit (labelled ``label``, or by its cell when ``label``
    ``labels_description`` only); nothing when the role has no line left. A reader who meets "Veranderkundige" for the first time gets the guide's own
    description before what the role does (in a conversation only once); its line then comes
    from another passage (a review found one sentence twice)."""
    described = _description(draft, role, background=background, lists=lists)
    ex = _line(draft, role, BEST_WORDS, besides=described.passage.id if described else None, background=background)
    if ex is None or not draft.fits(ex.passage, len(ex.text.split())):
        return []
    new = len({e.passage.id for e in (described, ex) if e is not None and not draft.cited(e.passage.id)})
    if described is not None and draft.room(new, len(described.text.split()) + len(ex.text.split())):
        return [
            AnswerItem(text=described.text, citations=[draft.cite(described)], role=role, label=label),
            # named by the cell it is quoted from: the handelingsperspectief, or (when that was said
            # before) "competentieprofiel", "komt uit de verf" (a review found a competence line
            # labelled as the handelingsperspectief)
            AnswerItem(text=ex.text, citations=[draft.cite(ex)], role=role, label=role_cell(ex.passage, ex.spans[0][0], role)),
        ]
    alone = role_cell(ex.passage, ex.spans[0][0], role) if labels_description else label
    return [AnswerItem(text=ex.text, citations=[draft.cite(ex)], role=role, label=alone)]


def asked(draft: Draft, named: Sequence[str]) -> list[AnswerSection]:
    """The roles a question names ("Wat is het verschil tussen een politicus en een
    veranderkundige?", "Hoe kijkt een bedrijfseconoom hiernaar?"), the one that fits the question
    best first: each with its description (a description that opens with a list stem, the
    Politicus', with its items) and a line of what it does; then a role chosen in the app that the
    question does not name. No other role (a user check found the two asked roles among four, a
    third marked as fitting best). When every named role was shown before in the conversation, a
    sentence that says so rather than other roles."""
    ranked = [r for r, _ in draft.reading.ranked_roles()]
    order = sorted(named, key=ranked.index)
    if draft.role and draft.role not in order:
        order.append(draft.role)
    lines: list[AnswerItem] = []
    for role in order:
        chosen = role == draft.role
        lines += _what_it_is_and_does(draft, role, P.T_ROLE_CHOSEN if chosen else P.T_ROLE_DESCRIBED,
                                      background=True, lists=True, labels_description=not chosen)
    title = P.SECTION_TITLES["roles"]
    if not lines and not any(p.role in order for p in draft.role_passages):
        return []  # asked within a guide without the role types (``--gids 002``): nothing was said
    if not lines:
        text = P.T_ROLES_SAID.format(doc=_guide(draft, article=True), roles=" en ".join(f"de {r}" for r in order))
        draft.spend(text)
        return [AnswerSection(kind="text", title=title, items=[AnswerItem(text=text, quote=False)])]
    intro = P.T_ROLES_INTRO.format(Doc=_guide(draft, capital=True))
    draft.spend(intro)
    return [AnswerSection(kind="roles", title=title, intro=intro, items=lines)]


def roles(draft: Draft, *, full: bool = False, named: Sequence[str] = ()) -> list[AnswerSection]:
    """The best-fitting (or chosen) role with a line of its description (when both fit) and its
    line, and the other roles a line each in a folded section; ``full`` (a question about the roles
    themselves) shows every role unfolded; the roles a question ``named``, only those
    (:func:`asked`). Nothing when the evidence names no role and none was chosen, or when the best
    role has no line left."""
    if named:
        return asked(draft, named)
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
    best_label = P.T_ROLE_CHOSEN if draft.role else (P.T_ROLE_TIE if len(reading.role_tie) > 1 else P.T_ROLE_BEST)
    lines: list[AnswerItem] = _what_it_is_and_does(draft, best, best_label, background=full)
    if not lines and not full:
        # no line for the role that fits best (said before, or no room): then no role section,
        # rather than other roles' lines under an answer whose primary_role is this one (a review
        # found "Politicus" reported with only a Veranderkundige line)
        return []
    # roles that fit equally well are all shown: the intro names them (a review found a tie of
    # two roles announced with only one role's line in view)
    tied = set(reading.role_tie) if len(reading.role_tie) > 1 and draft.role is None else set()
    for role in order[1:]:
        ex = _line(draft, role, OTHER_WORDS, background=full)
        # an unasked other role's line only when it is about this question (in most answers the
        # same Goede werkgever and Bedrijfseconoom lines came back whatever was asked); a tied
        # role's always, as the intro names it
        if (ex is not None and (full or role in tied or _telling(draft, ex))
                and draft.fits(ex.passage, len(ex.text.split()))):
            lines.append(AnswerItem(text=ex.text, citations=[draft.cite(ex)], role=role))
    if not lines:
        return []
    # the tie the intro names is the tie shown: a tied role without a line left is not named
    tied &= {item.role for item in lines}
    intro = P.T_ROLES_INTRO.format(Doc=_guide(draft, capital=True))
    if len(tied) > 1:
        intro += " " + P.T_ROLES_TIE.format(roles=" en ".join(r for r in ROLES if r in tied))
    draft.spend(intro)
    title = P.SECTION_TITLES["roles"]
    shown = [item for item in lines if item.role == best or item.role in tied]
    rest = [item for item in lines if item not in shown]
    if full or not rest:
        return [AnswerSection(kind="roles", title=title, intro=intro, items=lines)]
    return [
        AnswerSection(kind="roles", title=title, intro=intro, items=shown),
        AnswerSection(kind="roles", title=P.SECTION_TITLES["other_roles"], items=rest, folded=True),
    ]
