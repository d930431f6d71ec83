"""The role types as a lens: what the roles section quotes of them."""

from __future__ import annotations

from secretarisbot.answer.compose import retrieved
from secretarisbot.answer.draft import Draft
from secretarisbot.answer.excerpt import Terms
from secretarisbot.answer.sections.roles import _background, _description
from secretarisbot.model import Context


def test_a_roles_line_on_a_situation_leaves_out_who_the_role_suits(sources) -> None:
    """A role's description closes with its holder's background ("Heeft vaak zelf politieke
    ervaring …"): no line of the role as a lens on a situation, but kept when the asker wants to
    know which role fits them (two reviews found it quoted as the Politicus' line)."""
    described = [p for p in sources.of_kind("role") if p.section.split("›")[-1].strip() == "Politicus"]
    assert described and all(_background(p, "Politicus") for p in described)
    context = Context(question="politieke ervaring als raadslid of bestuurder", query="", passages=[])
    draft = Draft(context=context, sources=sources, role_passages=retrieved(described))
    draft.terms = Terms.of(context.question)
    lens, fits = _description(draft, "Politicus"), _description(draft, "Politicus", background=True)
    assert lens is not None and "politieke ervaring" not in lens.text
    assert fits is not None and "Heeft vaak zelf politieke ervaring" in fits.text


def test_a_description_that_opens_with_a_list_is_quoted_with_its_stem(sources) -> None:
    """The Politicus' description opens with "Leunt op … of" and two items that start with "...":
    quoted together, never an item alone (the fourteenth review: "... in de context van een
    herindeling - aan te sturen op bestuurlijke wendbaarheid." as a loose fragment)."""
    described = [p for p in sources.of_kind("role") if p.section.split("›")[-1].strip() == "Politicus"]
    context = Context(question="bestuurlijke wendbaarheid bij een herindeling", query="", passages=[])
    draft = Draft(context=context, sources=sources, role_passages=retrieved(described))
    draft.terms = Terms.of(context.question)
    ex = _description(draft, "Politicus")
    assert ex is not None and ex.text.startswith("Leunt op politieke sensitiviteit")
    assert ex.text.count("\n- ...") == 2 and "bestuurlijke wendbaarheid" in ex.text
    fits = _description(draft, "Politicus", background=True)  # "which role fits me": a sentence, no item alone
    assert fits is not None and not fits.text.startswith(("...", "…", "- ..."))
