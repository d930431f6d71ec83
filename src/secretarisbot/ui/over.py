"""Over: what the assistant is and is not, its sources, the current mode, and where data stays."""

from __future__ import annotations

from secretarisbot.answer.sections.overview import facts
from secretarisbot.ui.reader import passage_link
from secretarisbot.ui.services import Services


def over_markdown(services: Services) -> str:
    s = services.settings
    lines = [
        "## Wat is secretarisbot?",
        "",
        "Een assistent voor gemeentesecretarissen die werken in of aan een herindeling, een ambtelijke "
        "fusie of een andere vorm van samenwerking tussen gemeenten. Hij beantwoordt vragen over je "
        "situatie uit vijf professionele handreikingen, altijd met de passages waarop het antwoord rust, "
        "en bekijkt je vraag vanuit de vier roltypen van de handreiking 'Samenvoegen of samenwerken' "
        "(2026): Politicus, Veranderkundige, Goede werkgever en Bedrijfseconoom.",
        "",
        "**Wat hij niet is.** Geen juridisch of persoonlijk advies, geen vervanging van je eigen oordeel, "
        "van intervisie of van je bestuurlijke tandem. Hij kent alleen de vijf bronnen hieronder; wat daar "
        "niet in staat, zegt hij niet te weten.",
        "",
        "## Wat kun je vragen?",
        "",
        "- **Je situatie**, in je eigen woorden: \"Wat doe ik als de mede-directeur blokkeert?\" Je krijgt "
        "eerst de passages die het best bij je vraag passen, letterlijk en met hun bron. Waar de bronnen dat "
        "bieden, volgen handelingsopties uit de praktijk, de blik van het best passende roltype, de punten "
        "waarop de bronnen verschillen en een vraag om over na te denken.",
        "- **De kaders van de handreikingen**: \"Wat zijn de zeven stops?\", \"Waar staat GROEI voor?\", "
        "\"Wat zijn de drie spanningsvelden?\" Je krijgt het overzicht, elk onderdeel met zijn bron.",
        "- **Jezelf**: in de Spiegel loop je de denkoefeningen van de handreiking door; je antwoorden "
        "blijven op deze computer.",
        "",
        "## Huidige modus",
        "",
        services.mode_label(),
        "",
        "## Je gegevens blijven op deze computer",
        "",
        f"- Je gesprek en je reflecties in de Spiegel staan in een lokaal bestand in `{s.home}`, alleen "
        "voor jou: een ander profiel of een andere browser ziet ze niet. **Gesprek wissen** verwijdert "
        "het gesprek, **Alles wissen** in de Spiegel je reflecties.",
        "- **Gesprek downloaden** maakt het bestand in je browser; op deze computer blijft er geen kopie "
        "van achter.",
        f"- De app luistert op `{s.host}`" + (" (alleen deze computer)." if s.host in ("127.0.0.1", "localhost") else "."),
        "- Er wordt geen gebruiksstatistiek verzonden (telemetrie staat uit)."
        + (" Een taalmodel wordt alleen gebruikt als het is ingesteld." if not s.llm else ""),
        "",
        "## De vijf bronnen",
        "",
    ]
    for d in services.documents():
        lines.append(f"### {d.title}" + (f" — {d.subtitle}" if d.subtitle else ""))
        lines.append("")
        lines.append(
            f"{facts(d, capital=True)} [Open in de lezer]({passage_link(d.id)})"
        )
        lines.append("")
        if d.usage:
            lines.append(f"> {d.usage}")
        else:
            lines.append("_De tekst bevat geen gebruiksverklaring; citaten dienen alleen ter bronvermelding._")
        lines.append("")
    return "\n".join(lines)


def build(services: Services):
    import gradio as gr

    return gr.Markdown(over_markdown(services), elem_id="sb-over", elem_classes=["sb-over"])
