"""Paraphrased questions in secretaries' own words, each with verbatim evidence from the corpus.

A question passes when one of its fragments occurs in one of the top-5 passages. Questions avoid
the guides' own wording on purpose (they say "collega-directeur" and "knoop doorhakken", the text
says "mede-directeur" and "patstelling").
"""

from __future__ import annotations

GOLD: tuple[tuple[str, tuple[str, ...]], ...] = (
    # 000 §1.2.3 case: the two-headed directorate deadlock
    ("Mijn collega-directeur en ik zijn het oneens over wie de nieuwe afdelingsmanager wordt, en "
     "niemand kan de knoop doorhakken. Wat nu?", ("Zijn mede-directeur blokkeert",)),
    # 000 §1.2.1: colleges with clashing narratives about the werkorganisatie
    ("De twee gemeentebesturen verwachten elk iets anders van onze gezamenlijke ambtelijke "
     "organisatie. Hoe ga ik daarmee om?", ("Elk college denkt er het zijne over", "twee bestuurlijke bazen")),
    # 003: kostenverdeelsleutel
    ("Hoe betalen de gemeenten samen de rekening van de gezamenlijke ambtelijke dienst?",
     ("Eenvoudige kostenverdeelsleutel", "Een vaste verdeelsleutel")),
    # 004: the seven stops
    ("Welke stappen raadt de VNG aan om vertrouwen tussen samenwerkende gemeenten te laten groeien?",
     ("Formuleer een gemeenschappelijke ambitie", "Maak op de gemeenschappelijke agenda ruimte voor de onderstroom")),
    # 001: SETA menus
    ("Welke smaken van vergaand samenwerken met behoud van de eigen gemeente beschrijft Korsten?",
     ("Menu 1: functionele integratie", "Menu 2: de ambtelijke fusie", "Menu 3: het gastheerconcept")),
    # 002 facet 80
    ("Twee leden van mijn managementteam kunnen niet door één deur. Moet ik ingrijpen?",
     ("Onmin in het directieteam",)),
    # 002 facet 93: the Wegwijzer advises against ambtelijke fusies
    ("Is het verstandig om ons ambtelijk apparaat samen te voegen met dat van de buurgemeente?",
     ("vanuit ambtelijke optiek bezien dan ook af te raden",
      "Ook ambtelijke samenvoegingen in de vorm van ambtelijke fusies kennen doorgaans veel problemen")),
    # 002 facet 96: SSC
    ("We willen ICT en inkoop onderbrengen in een gezamenlijk bedrijfsvoeringscentrum. Waar moet ik op letten?",
     ("SSC's kunnen goed werken, mits de verwachtingen duidelijk zijn",)),
    # 002 facet 45
    ("Wethouders vallen mijn ambtenaren hard aan als er iets misgaat. Hoe bescherm ik mijn mensen?",
     ("hitteschild voor de organisatie",)),
    # 000 §1.2.2 case (Stroomdal)
    ("Het personeel uit het kleine dorp voelt zich ingelijfd door de nieuwe grote gemeente.",
     ("De buitendienst van de voormalige kleine plattelandsgemeente",)),
    # 000 Bijlage I, tijdens het fusieproces
    ("Medewerkers weten maandenlang niet waar ze terechtkomen tijdens de herindeling. Wat kan ik doen?",
     ("onzekerheid over (her)plaatsing van medewerkers",)),
    # 000 Bijlage I, herijking/na de breuk
    ("We stoppen met de ambtelijke fusie en de mensen zijn er kapot van. Hoe begeleid ik dat?",
     ("Onthechtingstraject inzetten",)),
    # 004 stop 6
    ("Er is veel tegenzin in de organisatie tegen de samenwerking. Hoe ga ik daarmee om?",
     ("Werk weerstand door",)),
    # 002 facet 92
    ("Onze gemeente gaat op in een grotere gemeente. Wat betekent dat voor mijn eigen baan?",
     ("Jouw positie bij een herindeling",)),
    # 002 facet 69
    ("Er komt een nieuwe burgemeester en het klikt niet tussen ons. Wat kan ik doen?",
     ("Nieuwe colleges en burgemeesterswissels zijn riskante momenten",)),
    # 003 topstructuur
    ("Moet de top van onze ambtelijke fusie uit de secretarissen van de gemeenten bestaan of uit één "
     "losse directeur?",
     ("Directieraad bestaande uit gemeentesecretarissen", "Aparte directeur, los van de gemeentesecretarissen",
      "Bij de ambtelijke fusie moet een keuze worden gemaakt voor een algemeen directeur")),
    # 003 huisvesting
    ("Moeten alle ambtenaren straks op één plek werken of blijven ze verspreid over de gemeentehuizen?",
     ("Huisvesting; centraal of decentraal?",)),
    # 000 mythe 1
    ("Klopt het dat je eerst de ambtenaren moet samenvoegen voordat een herindeling kan lukken?",
     ("Je moet eerst ambtelijk fuseren om een herindeling te laten slagen",)),
    # 002 facets 82/83
    ("Wat moet ik regelen in de aanloop naar de gemeenteraadsverkiezingen?",
     ("Kort voor de verkiezingen", "Anticiperen op verkiezingen")),
    # 000 §2.4.1 / exercise
    ("Op wie kan ik steunen als ik er in het fusieproces alleen voor sta?",
     ("Wie zijn jouw bondgenoten?", "Wie vormt welke tegenmacht?")),
    # 003 organische groei
    ("We voegen taak voor taak samen zonder duidelijk eindplaatje. Is dat een probleem?",
     ("Zij verzuimen het eindbeeld",)),
    # 000 §2.3 roles
    ("Welke rol past bij mij als ik vooral de politieke verhoudingen tussen de gemeenten moet managen?",
     ("Leunt op politieke sensitiviteit",)),
)

#: Written after GOLD and never used to tune weights or the synonym tables: a check on overfitting.
HELDOUT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Hoe houd ik de raad goed op de hoogte zonder partij te kiezen tussen coalitie en oppositie?",
     ("Je maakt geen verschil tussen coalitie en oppositie",)),
    ("Mijn burgemeester wil dat ik me in de regio meer laat zien. Hoe pak ik dat aan?",
     ("wees zelf zichtbaar in regionale directeurenoverleggen", "Rol van gemeentesecretarissen in de regio")),
    ("Een wethouder gedraagt zich structureel onredelijk tegen mijn medewerkers. Wat kan ik doen?",
     ("Heel lastig is de situatie als een bestuurder",)),
    ("Welke risico's lopen we als we met vijf gemeenten onze ambtenaren samenvoegen?",
     ("Meer dan drie gemeenten is voor een ambtelijke fusie een groot risico",)),
    ("Hoe maak ik bespreekbaar wat er onder de oppervlakte speelt tussen de partnergemeenten?",
     ("Wat bepaalt de onderstroom",)),
    ("Moeten we voor de nieuwe fusieorganisatie per se een secretaris van buiten aantrekken?",
     ("frisse wind",)),
    ("Wie beslist als de directieraad van onze samenwerking het onderling niet eens wordt?",
     ("stakende stemmen",)),
    ("Hoe voorkom ik dat de kleinste partner in de herindeling overstemd wordt?",
     ("niet ondergesneeuwd raken",)),
    ("Hoe lang blijven de oude culturen na een herindeling nog botsen?",
     ("de eerste vier jaar na de fusie nog blijvende spanningen tussen bloedgroepen",)),
    ("Ik ben net begonnen als gemeentesecretaris. Waar let ik op in mijn eerste maanden?",
     ("De start van je functie",)),
    ("Wat is mijn taak als er een grote brand of ramp in de gemeente is?",
     ("warme fase van een ramp of crisis", "Rol in de warme fase")),
)
