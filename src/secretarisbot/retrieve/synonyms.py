"""Domain vocabulary for query expansion: what the five guides call the same thing differently.

Two tables, both data (edit freely; tests check the behaviour, not the entries):

- ``VARIANTS``: spellings and names the guides use interchangeably. Counts per document
  (000 Handreiking, 001 SETA, 002 Wegwijzer, 003 GROEI, 004 VNG) from grepping ``corpus/`` are
  noted where they motivated the group, e.g. the Wegwijzer writes "BenW" 39 times and never "B&W".
- ``PARAPHRASES``: words secretaries use for situations the guides describe in their own terms
  ("ruzie", "blokkeert" -> "patstelling", "impasse", "meningsverschil"). They get a lower weight
  than variants, and a paraphrase never replaces what the user wrote.

Each group is a tuple of phrases; a phrase may have several words ("college van B&W"). Matching
is done on analysed (folded, stemmed) tokens, so inflections match too. Keep every phrase specific
after analysis: "eigenheid" stems to "eigen" and "stoppen" to "stop" (VNG's "zeven stops"), so
such words would fire a group on unrelated questions and are left out.
"""

from __future__ import annotations

VARIANTS: tuple[tuple[str, ...], ...] = (
    # B&W 000:2 001:6 004:1 · BenW 002:39 · "college" everywhere
    ("B&W", "BenW", "college van B&W", "college", "colleges", "collegeleden"),
    # ambtelijke fusie 000:52 001:101 003:61 · ambtelijke samenvoeging 002:13 only ·
    # werkorganisatie 001:5 · fusieorganisatie 003:38, fusie-organisatie 000
    ("ambtelijke fusie", "ambtelijke samenvoeging", "werkorganisatie", "fusieorganisatie",
     "samenwerkingsorganisatie", "ambtelijke organisatie"),
    # herindeling 000:43 002:26 · bestuurlijke fusie 000:15 001:12 · gemeentelijke herindeling 001:3
    ("herindeling", "bestuurlijke fusie", "gemeentelijke herindeling", "fusiegemeente",
     "heringedeelde gemeente", "herindelingsgemeente"),
    # 000: "Zijn mede-directeur blokkeert", "tweekoppige directie"; 002: "algemeen directeur" 24
    ("mede-directeur", "tweekoppige directie", "tweehoofdige directie", "directeur van de werkorganisatie",
     "sturingsmodel"),
    # P&O 001:1 · PenO 002:10 · HRM 001/002
    ("P&O", "PenO", "HR", "HRM", "personeelszaken", "personeelsbeleid"),
    # 002 writes "Je taken als secretaris en algemeen directeur": one person, two titles
    ("gemeentesecretaris", "secretaris", "gemeentesecretarissen", "algemeen directeur"),
    ("raad", "gemeenteraad", "raden", "raadsleden", "gemeenteraden"),
    # inwoners 000:14 · burgers 001:16 · bewoners 002:25: three guides, three words
    ("inwoners", "burgers", "bewoners", "samenleving"),
    ("medewerkers", "ambtenaren", "personeel", "werknemers"),
    # MT 000:6 · directieteam 002:76 · managementteam 002:1
    ("MT", "managementteam", "directieteam"),
    ("OR", "ondernemingsraad", "medezeggenschap"),
    ("DVO", "dienstverleningsovereenkomst"),
    ("SSC", "shared service centrum", "shared service center", "shared services"),
    ("GR", "gemeenschappelijke regeling"),
    # 003: "kostenverdeelsleutel", "verdeelsleutel"
    ("kostenverdeelsleutel", "verdeelsleutel", "kostenverdeling"),
    ("centrumgemeente", "gastheergemeente", "gastheerconcept", "centrumgemeenteconcept"),
    ("wethouder", "wethouders", "portefeuillehouder", "collegelid"),
    # 000 writes "ontvlochten" as well as "ontvlechting"; Bijlage I heads that phase "Herijking/Na de breuk"
    ("ontvlechting", "ontvlechten", "ontvlochten", "herijking", "breuk"),
    ("kwartiermaker", "kwartiermaken"),
    # 003 and 004 write "gezamenlijke ambitie" next to the usual "gemeenschappelijke ambitie"
    ("gemeenschappelijke ambitie", "gezamenlijke ambitie"),
    ("weeffout", "weeffouten", "ontwerpfout", "inrichtingskeuzes"),
    ("harmonisatie", "harmoniseren", "uniformeren"),
    ("schaalsprong", "schaal"),
    ("ICT", "informatievoorziening", "digitalisering", "automatisering"),
)

PARAPHRASES: tuple[tuple[str, ...], ...] = (
    # conflict at the top: 000 "patstelling", "impasse", "meningsverschil"; 002 §80 "onenigheid"
    ("ruzie", "conflict", "onenigheid", "meningsverschil", "patstelling", "impasse", "blokkeert",
     "blokkeren", "dwarsliggen", "tegenhouden", "escalatie"),
    # two colleges pulling in different directions (000: "botsende bestuurlijke narratieven")
    ("verschillende dingen willen", "iets anders willen", "anders willen", "verwachten iets anders",
     "andere verwachtingen", "botsende", "narratieven", "tegenstrijdige wensen"),
    # secretaries say "de gemeentebesturen" where the guides mean the colleges
    ("gemeentebesturen", "gemeentebestuur", "colleges", "bestuurders"),
    ("geld", "kosten", "financien", "budget", "begroting", "bijdrage"),
    ("verdelen", "verdeling", "verdeelsleutel"),
    ("onzeker", "onzekerheid", "onduidelijkheid", "terechtkomen", "baangarantie", "plaatsing", "herplaatsing"),
    ("cultuur", "cultuurverschillen", "bloedgroepen", "clubkleur", "identiteit"),
    ("wij-zij", "wij zij", "eigen club", "bloedgroepen"),
    ("uit elkaar gaan", "ontvlechting", "scheiding", "exit"),
    ("weerstand", "tegenwerking", "tegenzin", "verzet"),
    # 000 Bijlage I herijking: "verdriet en schrik", "emotionele verwerking", "onthechtingstraject"
    ("kapot", "verdriet", "verwerking", "emotionele verwerking", "rouw", "aangeslagen", "onthechting"),
    # 000 Bijlage I: "heronderhandelen of terugkomen op gemaakte afspraken"
    ("terugkomen op afspraken", "terug op afspraken", "heronderhandelen", "afspraken niet nakomen"),
    # 000 §2.4.3: "de politieke koers is niet eenduidig", "tegengestelde richtingen"
    ("verdeeld", "verdeeldheid", "niet eenduidig", "tegengestelde richtingen", "oneens", "ambigue"),
    # 004 "Persoonlijk sentiment": what people worry about in a merger. Not bare "zorgen": it stems
    # to "zorg" as in "zorg dat ...", which would fire on many questions
    ("persoonlijke zorgen", "zorgen maken", "bezorgd", "angst", "sentiment", "consequenties"),
    ("steun", "draagvlak", "commitment", "achterban"),
    ("vertrouwen", "wantrouwen", "onderstroom"),
    ("rol", "rollen", "rolneming", "roltypen", "rollentypologie"),
    ("reflectie", "zelfreflectie", "denkoefening", "spiegel", "zelfinzicht"),
    ("twee petten", "dubbele pet", "duofunctie", "pet op", "twee heren", "broodheer"),
    ("burgemeester", "tandem"),
    ("verkiezingen", "collegeonderhandelingen"),
    # 004 calls its seven steps "stops" ("Zeven stops naar draagvlak en vertrouwen")
    ("stops", "stappen", "stappenplan"),
    ("eerste stap", "beginnen", "starten", "verkenning", "verkenningfase", "kartrekker"),
)
