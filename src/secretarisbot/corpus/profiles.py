"""What differs per document: where the body starts and ends, debris to drop, heading forms.

Every anchor below was read off the text it applies to (``grep -n`` the file in ``corpus/``);
the tests in ``tests/corpus`` check that each anchor still matches exactly where it should.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from secretarisbot.model import SPANNINGSVELDEN

#: Level of an unnumbered minor heading: deeper than any numbered one, replaced by the next.
MINOR = 9

#: (regex on the stripped line, level, kind or None, meta: "role" | "fase" | "key=value" | None)
ExtraHeading = tuple[str, int, "str | None", "str | None"]


@dataclass(frozen=True)
class Profile:
    #: The body starts at the ``occurrence``-th line matching ``begin`` (cover pages, colophon
    #: and table of contents before it are dropped).
    begin: str | None = None
    begin_occurrence: int = 1
    #: The body ends before the first line matching ``end`` (adverts, back cover).
    end: str | None = None
    #: (from, to): drop the lines from a match of ``from`` up to (not including) ``to``.
    drop_ranges: tuple[tuple[str, str], ...] = ()
    #: Single lines to drop: page numbers, running footers, figure captions.
    drop_lines: tuple[str, ...] = ()
    #: Hard-wrapped text (lines of ~``wrap_width`` characters) rather than one paragraph a line.
    wrapped: bool = False
    wrap_width: int = 100
    markdown: bool = False
    bold_parts: bool = False
    facets: bool = False
    tables: bool = False
    chapters: bool = False
    numbered: bool = False
    groei: bool = False
    footnotes: bool = False
    #: Remove footnote reference digits glued to words ("verschillen1.").
    footnote_refs: bool = False
    minor_headings: bool = False
    minor_max: int = 70
    minor_words: int = 10
    question_headings: bool = False
    extra_headings: tuple[ExtraHeading, ...] = ()
    #: Short lines that look like headings but are not (signatures, enumerations in prose).
    not_headings: tuple[str, ...] = ()
    #: Markdown headings whose level the source got inconsistent: (regex on the title, level).
    level_overrides: tuple[tuple[str, int], ...] = ()
    #: A paragraph matching one of these closes an open minor section (the end of a case).
    section_end: tuple[str, ...] = ()

    def select(self, lines: list[str]) -> list[str]:
        """The body lines: between ``begin`` and ``end``, without drop ranges and drop lines."""
        start = 0
        if self.begin:
            seen = 0
            for i, line in enumerate(lines):
                if re.search(self.begin, line.strip()):
                    seen += 1
                    if seen == self.begin_occurrence:
                        start = i
                        break
        stop = len(lines)
        if self.end:
            for i in range(start, len(lines)):
                if re.search(self.end, lines[i].strip()):
                    stop = i
                    break
        body = lines[start:stop]
        out: list[str] = []
        dropping: str | None = None
        for line in body:
            stripped = line.strip()
            if dropping is not None:
                if re.search(dropping, stripped):
                    dropping = None
                else:
                    continue
            for begin, until in self.drop_ranges:
                if re.search(begin, stripped):
                    dropping = until
                    break
            if dropping is not None:
                continue
            if any(re.search(p, stripped) for p in self.drop_lines):
                continue
            out.append(line)
        return out


_PHASES = r"(Verkenningfase|Tijdens het fusieproces|Na de fusie/Als 'draaiend systeem'|Na de fusie|Signaleren van weeffouten|Herijking/Na de breuk)"

PROFILES: dict[str, Profile] = {
    # Handreiking 2026: cover printed twice and a table of contents; Berenschot advert at the end.
    "000": Profile(
        begin=r"^Voorwoord VGS$",
        begin_occurrence=1,
        end=r"^‘WIJ ZIJN BERENSCHOT",
        drop_lines=(r"^Figuur \d+[a-z]?\.", r"^-{3,}"),
        tables=True,
        chapters=True,
        numbered=True,
        footnotes=True,
        minor_headings=True,
        minor_max=70,
        minor_words=10,
        question_headings=True,
        extra_headings=(
            (r"^Voorwoord VGS$", 1, None, None),
            # §1.2.1-1.2.3 each describe one spanningsveld; their passages (and cases) carry it.
            (r"^1\.2\.1 ", 3, None, "spanningsveld=" + SPANNINGSVELDEN["1"]),
            (r"^1\.2\.2 ", 3, None, "spanningsveld=" + SPANNINGSVELDEN["2"]),
            (r"^1\.2\.3 ", 3, None, "spanningsveld=" + SPANNINGSVELDEN["3"]),
            (r"^Uit de praktijk gegrepen:?$", 9, "case", None),
            (r"^Mythe \d+:?$", 9, "myth", None),
            (r"^(Politicus|Veranderkundige|Goede werkgever|Bedrijfseconoom)$", 9, "role", "role"),
            (r"^Startpunt\. ", 9, "exercise", None),
            (r"^Stel: het is 10 jaar na vandaag", 9, "exercise", None),
            (r"^Welk pad bewandel je nu\?$", 9, "exercise", None),
            (r"^De tussenruimte voor fundamentele verandering$", 9, "exercise", None),
            (r"^Specifieke reflectie voor tijdens het fusieproces\.?$", 9, "exercise", None),
            (r"^Wie zijn jouw bondgenoten\?$", 9, "exercise", None),
            (r"^Bestuurlijke fusies$", 2, None, "fusievorm=herindeling"),
            (r"^Ambtelijke fusies$", 2, None, "fusievorm=ambtelijke fusie"),
            (r"^" + _PHASES + r"(?:\s*\(.*\))?$", 3, None, "fase"),
        ),
        section_end=(r"^Initiatief van de gemeentesecretaris om spanningen",),
    ),
    # SETA: an OCR'd article; figures (organogram, table, map, photo captions) came out as debris.
    "001": Profile(
        wrapped=True,
        wrap_width=100,
        drop_ranges=(
            (r"^Organogram$", r"^Kenmerken van SETA als ambtelijke fusie$"),
            (r"^Figuur 2: Eigenaarschap en sturing", r"^Waar komt de ambtelijke fusie voor\?"),
        ),
        # Photo captions and map labels that OCR turned into stray lines.
        drop_lines=(
            r"^BAR-dichtbij$",
            r"^o OOSTZAAN$",
            r"^cemesnTEN SR",
            r"^OVER$",
            r"^INTERVIEWS$",
            r"^SOCIAL MEDIA$",
            r"^O$",
            r"^COMBINATIE$",
            r"^Alphen‘Cha‘am",
            r"^Samenwerking in 2016$",
            r"^https?://",  # Wikipedia links printed under the map
        ),
        footnotes=True,
        # "Factchecking": statements the reader judges true or false (figure 3).
        extra_headings=((r"^Factchecking$", MINOR, "checklist", None),),
        minor_headings=True,
        minor_max=80,
        minor_words=12,
    ),
    # Wegwijzer: markdown; parts in bold, chapters '#', the 100 facets '##'/'###' with a number.
    "002": Profile(
        begin=r"^\*\*Vooraf\*\*$",
        end=r"^\*\*KokxDeVoogd\*\*$",
        markdown=True,
        bold_parts=True,
        facets=True,
        # The other parts are bold lines ("**De persoon**"); this one is a "#" like a chapter.
        level_overrides=((r"^Bijzondere situaties$", 1),),
    ),
    # GROEI: two-column layout, every line followed by a blank line; G/R/O/E/I + tab headings.
    "003": Profile(
        wrapped=True,
        wrap_width=100,
        drop_lines=(
            r"^\d+ Landelijk Kennisplatform Ambtelijke Fusie$",  # running footer with page number
            r"^https?://",  # link targets the PDF conversion printed as text
        ),
        footnote_refs=True,
        not_headings=(
            r"^(Gemeenschappelijke ambitie|Relatie|Organisatie|Eigenaarschap|Inrichting)$",
            r"^Jan van Ginkel$",
        ),
        groei=True,
        # Headings wrapped over two lines (the parser joins the second line to them).
        extra_headings=(
            (r"^Het organisatiemodel: invulling ambtelijke hoofdstructuur op basis van visie op$", MINOR, None, None),
            (r"^Afwegingen bij inrichting top-$", MINOR, None, None),
        ),
        footnotes=True,
        minor_headings=True,
        minor_max=65,
        minor_words=9,
        question_headings=True,
    ),
    # VNG zeven stops: markdown, HTML table of contents, colophon before the body.
    "004": Profile(
        begin=r"^# Inleiding$",
        markdown=True,
        level_overrides=(
            (r"^(Oriëntatiefase|Verkenningfase|Bouwen en uitvoeren)\b", 3),
            (r"(sentiment|^Conclusie|^Complexe omgeving van de wethouder)$", 4),
        ),
    ),
}
