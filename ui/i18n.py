"""Every label and explanation of the app in English and Dutch: `t("map.level", "nl")`.

Findings and sentences about results come from the library (`language="en" | "nl"`);
this module holds only the app's own words.
"""

# ruff: noqa: E501 (a table of sentences: one line per translation reads best)
from __future__ import annotations

from discovery import Language

LANGUAGES: dict[Language, str] = {"en": "English", "nl": "Nederlands"}

# fmt: off
TEXT: dict[str, tuple[str, str]] = {
    # app and sidebar
    "app.language": ("Language / Taal", "Language / Taal"),
    "app.source": ("Log", "Log"),
    "app.source.sample": ("Sample log", "Voorbeeldlog"),
    "app.source.upload": ("My upload", "Mijn upload"),
    "app.sample": ("Sample", "Voorbeeld"),
    "app.no_upload": (
        "No upload in use yet: upload a file on the page **Upload and map columns**.",
        "Nog geen upload in gebruik: lees een bestand in op de pagina **Inlezen en kolommen koppelen**.",
    ),
    "app.sample_in_use": (
        "You are looking at the sample log **{name}**, not your own data. Upload your own log on the page **Upload and map columns**.",
        "U kijkt naar de voorbeeldlog **{name}**, niet naar uw eigen gegevens. Lees uw eigen log in op de pagina **Inlezen en kolommen koppelen**.",
    ),
    "app.upload_lost": (
        "The log you uploaded is gone: reloading the page (or a lost connection) starts a new session, and uploads are not kept across sessions yet. Upload the file again on the page **Upload and map columns** to go on; the sample log is not shown in its place.",
        "De log die u inlas is weg: de pagina opnieuw laden (of een verbroken verbinding) begint een nieuwe sessie, en uploads blijven nog niet over sessies bewaard. Lees het bestand opnieuw in op de pagina **Inlezen en kolommen koppelen** om verder te gaan; de voorbeeldlog wordt niet in de plaats getoond.",
    ),
    "app.filters": ("Filters: {text}", "Filters: {text}"),
    "app.clear_filters": ("Clear filters", "Filters wissen"),
    "app.no_log": (
        "Choose a log in the sidebar, or upload one on the page **Upload and map columns**.",
        "Kies een log in de zijbalk, of lees er een in op de pagina **Inlezen en kolommen koppelen**.",
    ),
    "app.empty": (
        "No cases are left after the filters: {text}. Change or clear the filters.",
        "Na de filters blijven geen zaken over: {text}. Pas de filters aan of wis ze.",
    ),
    "app.unexpected": (
        "Something went wrong while analysing this log ({error}). Please report it with a "
        "description of the file.",
        "Er ging iets mis bij het analyseren van deze log ({error}). Meld het graag, met een "
        "beschrijving van het bestand.",
    ),
    # page titles
    "page.upload": ("Upload and map columns", "Inlezen en kolommen koppelen"),
    "page.overview": ("Overview", "Overzicht"),
    "page.map": ("Process map", "Proceskaart"),
    "page.handoffs": ("Handoffs and bottlenecks", "Overdrachten en knelpunten"),
    "page.variants": ("Variants", "Varianten"),
    "page.cases": ("Case explorer", "Zaakverkenner"),
    "page.intended": ("Intended vs discovered", "Bedoeld en werkelijk"),
    # upload and map columns
    "upload.intro": (
        "Drop in an export from your system: one row per event, with at least a case id, an "
        "activity and a timestamp. The columns are recognised from their headers (English and "
        "Dutch) and values; check them below and correct where needed.",
        "Lees een export uit uw systeem in: één rij per gebeurtenis, met minstens een "
        "zaaknummer, een activiteit en een tijdstip. De kolommen worden herkend aan hun kop "
        "(Nederlands en Engels) en hun waarden; controleer ze hieronder en pas ze zo nodig aan.",
    ),
    "upload.file": (
        "Event log file (CSV, Excel, XES or Parquet; up to 1 GB)",
        "Logbestand (CSV, Excel, XES of Parquet; tot 1 GB)",
    ),
    "upload.limit": (
        "Files up to 1 GB are accepted: a million events take about 100 MB as CSV and 60 MB as "
        "Excel. For larger logs, export a period or use Parquet (compressed), or run the command "
        "line `journey`, which reads files up to 4 GB from disk.",
        "Bestanden tot 1 GB worden geaccepteerd: een miljoen gebeurtenissen is ongeveer 100 MB "
        "als CSV en 60 MB als Excel. Exporteer voor grotere logs een periode, gebruik Parquet "
        "(gecomprimeerd), of gebruik de opdrachtregel `journey`, die bestanden tot 4 GB leest.",
    ),
    "upload.sheet": ("Sheet", "Werkblad"),
    "upload.sheet_auto": (
        "(automatic: the first sheet that looks like a log)",
        "(automatisch: het eerste werkblad dat op een log lijkt)",
    ),
    "upload.sheet_read": ("Sheet read: {sheet}.", "Gelezen werkblad: {sheet}."),
    "upload.preview": ("Preview: first {rows} of {total} rows", "Voorbeeld: eerste {rows} van {total} rijen"),
    "upload.roles": ("Which column is what", "Welke kolom is wat"),
    "upload.roles_help": (
        "Detected from the headers and values; change any choice. Case id, activity and "
        "timestamp are required.",
        "Herkend aan de koppen en waarden; pas een keuze gerust aan. Zaaknummer, activiteit en "
        "tijdstip zijn verplicht.",
    ),
    "upload.not_detected": (
        "Not every required column was recognised ({error}). Choose them below.",
        "Niet elke verplichte kolom werd herkend ({error}). Kies ze hieronder.",
    ),
    "upload.none": ("(not in this file)", "(niet in dit bestand)"),
    "upload.drop_duplicates": ("Drop identical rows", "Identieke rijen weglaten"),
    "upload.drop_duplicates_help": (
        "A row identical to an earlier row in every column is a separate event by default (a test done twice on one day, an export without event ids), as in Disco, Celonis and pm4py. Tick this only when such rows are double exports: they are then rejected and listed.",
        "Een rij die in elke kolom gelijk is aan een eerdere rij telt standaard als aparte gebeurtenis (een test die op één dag twee keer is gedaan, een export zonder gebeurtenisnummers), zoals in Disco, Celonis en pm4py. Vink dit alleen aan als zulke rijen dubbele exportregels zijn: ze worden dan afgekeurd en vermeld.",
    ),
    "upload.use": ("Use these columns", "Deze kolommen gebruiken"),
    "upload.in_use": ("Using {name}.", "In gebruik: {name}."),
    "upload.error": ("This file cannot be used: {error}", "Dit bestand is niet bruikbaar: {error}"),
    "upload.unexpected": (
        "This file could not be read ({error}). Please report it with a description of the "
        "file's layout.",
        "Dit bestand kon niet worden gelezen ({error}). Meld het graag, met een beschrijving "
        "van de opbouw van het bestand.",
    ),
    "upload.current": ("The log in use: {name}", "De log in gebruik: {name}"),
    "role.case_id": ("Case id", "Zaaknummer"),
    "role.activity": ("Activity", "Activiteit"),
    "role.timestamp": ("Timestamp (end)", "Tijdstip (einde)"),
    "role.start_timestamp": ("Start time", "Starttijd"),
    "role.resource": ("Resource", "Medewerker"),
    "role.department": ("Department", "Afdeling"),
    "role.channel": ("Channel", "Kanaal"),
    "role.score": ("Score", "Score"),
    "role.cost": ("Cost", "Kosten"),
    "role.lifecycle": ("Lifecycle", "Levenscyclus"),
    # quality report
    "quality.title": ("Every row accounted for", "Elke rij verantwoord"),
    "quality.read": ("Rows read", "Rijen gelezen"),
    "quality.used": ("Rows used", "Rijen gebruikt"),
    "quality.rejected": ("Rows rejected", "Rijen afgekeurd"),
    "quality.download": ("Download the rejected rows (CSV)", "Afgekeurde rijen downloaden (CSV)"),
    "quality.identical.keep": (
        "Identical rows: {count} kept as separate events.",
        "Identieke rijen: {count} geteld als aparte gebeurtenissen.",
    ),
    "quality.identical.drop": (
        "Identical rows: {count} dropped, as asked.",
        "Identieke rijen: {count} weggelaten, zoals gevraagd.",
    ),
    "quality.warnings": ("Warnings", "Waarschuwingen"),
    "quality.no_warnings": ("No warnings.", "Geen waarschuwingen."),
    "quality.how_read": ("How the file was read", "Hoe het bestand is gelezen"),
    "quality.role": ("role", "rol"),
    "quality.column": ("column", "kolom"),
    "quality.found_by": ("found by", "gevonden via"),
    "found.given": ("your choice", "uw keuze"),
    "found.header": ("the header", "de kolomkop"),
    "found.values": ("the values", "de waarden"),
    "quality.first_events": ("First events", "Eerste gebeurtenissen"),
    "quality.period": (
        "Period: {first} – {last} (times without a zone were read as {zone}).",
        "Periode: {first} – {last} (tijden zonder zone zijn gelezen als {zone}).",
    ),
    # figures
    "metric.cases": ("Cases", "Zaken"),
    "metric.events": ("Events", "Gebeurtenissen"),
    "metric.activities": ("Activities", "Activiteiten"),
    "metric.departments": ("Departments", "Afdelingen"),
    "metric.period": ("Period", "Periode"),
    "metric.throughput": ("Median throughput time", "Mediane doorlooptijd"),
    "metric.handoffs": ("Handoffs per case", "Overdrachten per zaak"),
    "metric.conformance": ("Conformance", "Conformiteit"),
    # overview
    "overview.caption": ("{source}; {filters}.", "{source}; {filters}."),
    "overview.conformance_missing": (
        "Conformance to the intended journey appears here once an intended journey is loaded.",
        "Conformiteit met de bedoelde klantreis verschijnt hier zodra een bedoelde reis is geladen.",
    ),
    "overview.findings": ("What stands out", "Wat opvalt"),
    "overview.handoff_share": (
        "{share} of cases are handed over between departments at least once; a case is handed "
        "over {mean} times on average.",
        "{share} van de zaken wordt minstens één keer tussen afdelingen overgedragen; een zaak "
        "wordt gemiddeld {mean} keer overgedragen.",
    ),
    "overview.pingpong": (
        "{share} of cases bounce back and forth between two departments (ping-pong); most "
        "often between {first} and {second} ({cases}).",
        "{share} van de zaken pendelt heen en weer tussen twee afdelingen (pingpong); het "
        "vaakst tussen {first} en {second} ({cases}).",
    ),
    "overview.rework": (
        "{share} of cases repeat an activity (rework); most often {activity} ({cases}).",
        "{share} van de zaken herhaalt een activiteit (herwerk); het vaakst {activity} ({cases}).",
    ),
    "overview.variants": (
        "{variants} different paths; the most frequent covers {share} of cases.",
        "{variants} verschillende paden; het meest voorkomende dekt {share} van de zaken.",
    ),
    "overview.quality": (
        "The log has {count} data-quality warnings; see **Upload and map columns**.",
        "De log heeft {count} waarschuwingen over de datakwaliteit; zie **Inlezen en kolommen koppelen**.",
    ),
    "overview.trend": ("Median throughput time per month", "Mediane doorlooptijd per maand"),
    "overview.days": ("days", "dagen"),
    "overview.month": ("month", "maand"),
    # process map
    "map.level": ("Level", "Niveau"),
    "map.level.activity": ("Activities", "Activiteiten"),
    "map.level.department": ("Departments", "Afdelingen"),
    "map.measure": ("Show", "Toon"),
    "map.measure.frequency": ("Frequency", "Frequentie"),
    "map.measure.performance": ("Performance (median times)", "Prestatie (mediane tijden)"),
    "map.activities": ("Activities (%)", "Activiteiten (%)"),
    "map.paths": ("Paths (%)", "Paden (%)"),
    "map.sliders_help": (
        "Keep the most frequent activities and paths; flows around a removed activity are "
        "joined up as they happened.",
        "Houd de meest voorkomende activiteiten en paden; stromen rond een weggelaten "
        "activiteit worden verbonden zoals ze gebeurden.",
    ),
    "map.shown": (
        "{nodes} of {all_nodes} nodes and {edges} of {all_edges} paths shown.",
        "{nodes} van {all_nodes} knopen en {edges} van {all_edges} paden getoond.",
    ),
    "map.legend_frequency": (
        "Numbers: events on the nodes, times a path was taken on the arrows. Darker and "
        "thicker means more.",
        "Getallen: gebeurtenissen in de knopen, aantal keer dat een pad is gevolgd bij de "
        "pijlen. Donkerder en dikker is meer.",
    ),
    "map.legend_performance": (
        "Times: median service time in the nodes (where the log has start times), median wait "
        "on the arrows. Thicker means longer.",
        "Tijden: mediane bewerkingstijd in de knopen (als de log starttijden heeft), mediane "
        "wachttijd bij de pijlen. Dikker is langer.",
    ),
    "map.no_departments": (
        "This log has no department column; the map shows activities.",
        "Deze log heeft geen afdelingskolom; de kaart toont activiteiten.",
    ),
    "map.selection": ("Cases through a node or path", "Zaken via een knoop of pad"),
    "map.selection.none": ("(choose)", "(kies)"),
    "map.selection.cases": ("{cases} through {what}", "{cases} via {what}"),
    "map.download_dot": ("Download the map (DOT)", "Kaart downloaden (DOT)"),
    "map.download_svg": ("Download the map as a picture (SVG)", "Kaart downloaden als afbeelding (SVG)"),
    # filters
    "filter.title": ("Filters", "Filters"),
    "filter.help": (
        "Every filter keeps whole cases; filters combine (all must hold). They apply to every page.",
        "Elk filter houdt hele zaken; filters werken samen (alle moeten gelden). Ze gelden op elke pagina.",
    ),
    "filter.period": ("Cases active in the period", "Zaken actief in de periode"),
    "filter.attribute": ("Case attribute", "Zaakkenmerk"),
    "filter.attribute_values": ("Values to keep", "Te houden waarden"),
    "filter.none": ("(none)", "(geen)"),
    "filter.top_variants": ("Most frequent variants only (0 = all)", "Alleen de meest voorkomende varianten (0 = alle)"),
    "filter.starts": ("Starting with", "Beginnend met"),
    "filter.ends": ("Ending with", "Eindigend met"),
    "filter.min_days": ("Shortest throughput (days)", "Kortste doorlooptijd (dagen)"),
    "filter.max_days": ("Longest throughput (days, 0 = no limit)", "Langste doorlooptijd (dagen, 0 = geen grens)"),
    "filter.follows_from": ("Activity ...", "Activiteit ..."),
    "filter.follows_to": ("... followed by", "... gevolgd door"),
    "filter.follows_directly": ("directly", "direct"),
    "filter.departments": ("Went through department", "Ging langs afdeling"),
    "filter.variant": ("Variant from the variant explorer: {text}", "Variant uit de variantenverkenner: {text}"),
    "filter.remove_variant": ("Remove the variant filter", "Variantfilter verwijderen"),
    "filter.active": ("Showing {text}.", "Getoond: {text}."),
    # handoffs and bottlenecks
    "handoffs.intro": (
        "Where cases are passed between departments, bounce back and forth, are redone, and wait.",
        "Waar zaken tussen afdelingen worden doorgegeven, heen en weer gaan, worden overgedaan "
        "en wachten.",
    ),
    "handoffs.no_departments": (
        "This log has no department column, so there are no handoffs between departments.",
        "Deze log heeft geen afdelingskolom, dus er zijn geen overdrachten tussen afdelingen.",
    ),
    "handoffs.bottlenecks": ("Ranked bottlenecks", "Knelpunten op volgorde"),
    "handoffs.bottlenecks_help": (
        "Paths ranked by the total waiting they add (cases × wait).",
        "Paden gerangschikt naar de totale wachttijd die ze toevoegen (zaken × wachttijd).",
    ),
    "handoffs.bottleneck": ("Bottleneck", "Knelpunt"),
    "handoffs.bottleneck_cases": ("The cases on this path, longest wait first", "De zaken op dit pad, langste wachttijd eerst"),
    "handoffs.activity_waits": ("Waiting before activities", "Wachten vóór activiteiten"),
    "handoffs.matrix": ("Handoffs between departments", "Overdrachten tussen afdelingen"),
    "handoffs.from": ("from", "van"),
    "handoffs.to": ("to", "naar"),
    "handoffs.count": ("handoffs", "overdrachten"),
    "handoffs.graph": ("Department map", "Afdelingskaart"),
    "handoffs.pingpong": ("Ping-pong between departments", "Pingpong tussen afdelingen"),
    "handoffs.no_pingpong": ("No case bounced back and forth.", "Geen zaak ging heen en weer."),
    "handoffs.rework": ("Rework: activities done more than once", "Herwerk: activiteiten die vaker dan eens gedaan zijn"),
    "handoffs.no_rework": ("No activity was repeated within a case.", "Geen activiteit werd binnen een zaak herhaald."),
    "handoffs.waiting": ("Share of waiting per department", "Aandeel wachttijd per afdeling"),
    "handoffs.waiting_help": (
        "Time cases waited before each department's events, as a share of all waiting.",
        "Tijd die zaken wachtten vóór de gebeurtenissen van elke afdeling, als aandeel van alle wachttijd.",
    ),
    "handoffs.share": ("share of waiting", "aandeel wachttijd"),
    "col.case_id": ("case", "zaak"),
    "col.source": ("from", "van"),
    "col.target": ("to", "naar"),
    "col.first": ("department A", "afdeling A"),
    "col.second": ("department B", "afdeling B"),
    "col.occurrences": ("bounces", "keer heen en weer"),
    "col.cases": ("cases", "zaken"),
    "col.times": ("times", "keer"),
    "col.repeats": ("repeats", "herhalingen"),
    "col.activity": ("activity", "activiteit"),
    "col.department": ("department", "afdeling"),
    "col.share": ("share", "aandeel"),
    "col.wait": ("wait", "wachttijd"),
    "col.median_wait": ("median wait", "mediane wachttijd"),
    "col.total_wait": ("total wait", "totale wachttijd"),
    "col.events": ("events", "gebeurtenissen"),
    "col.variant": ("variant", "variant"),
    "col.steps": ("steps", "stappen"),
    "col.cumulative": ("cumulative share", "cumulatief aandeel"),
    "col.throughput": ("median throughput", "mediane doorlooptijd"),
    "col.path": ("path", "pad"),
    "col.step": ("step", "stap"),
    "col.resource": ("resource", "medewerker"),
    "col.begin": ("begin", "begin"),
    "col.end": ("end", "einde"),
    "col.service": ("service", "bewerking"),
    "col.wait_before": ("wait before", "wachttijd ervoor"),
    "col.handoff": ("handoff", "overdracht"),
    "col.rework": ("rework", "herwerk"),
    # variants
    "variants.intro": (
        "Each variant is one distinct sequence of activities; the most frequent first.",
        "Elke variant is één bepaalde volgorde van activiteiten; de meest voorkomende eerst.",
    ),
    "variants.count": (
        "{variants} variants; the top 10 cover {share} of cases.",
        "{variants} varianten; de top 10 dekt {share} van de zaken.",
    ),
    "variants.choice": ("Variant", "Variant"),
    "variants.option": ("Variant {number}: {cases} ({share})", "Variant {number}: {cases} ({share})"),
    "variants.steps": ("The steps of variant {number}", "De stappen van variant {number}"),
    "variants.to_map": ("Show this variant on the map", "Deze variant op de kaart tonen"),
    "variants.coverage": ("Cumulative share of cases", "Cumulatief aandeel zaken"),
    # cases
    "cases.intro": (
        "Trace one case through the organisation: search its id, or pick one from a random "
        "sample per variant.",
        "Volg één zaak door de organisatie: zoek het nummer, of kies er een uit een "
        "steekproef per variant.",
    ),
    "cases.search": ("Search a case id", "Zoek een zaaknummer"),
    "cases.case": ("Case", "Zaak"),
    "cases.not_found": ("No case id contains '{text}'.", "Geen zaaknummer bevat '{text}'."),
    "cases.sample": (
        "Random sample per variant (the {count} most frequent)",
        "Steekproef per variant (de {count} meest voorkomende)",
    ),
    "cases.per_variant": ("Cases per variant", "Zaken per variant"),
    "cases.draw": ("Draw a new sample", "Nieuwe steekproef"),
    "cases.steps": ("Steps", "Stappen"),
    "cases.throughput": ("Throughput time", "Doorlooptijd"),
    "cases.waiting": ("Waiting", "Wachten"),
    "cases.handoffs": ("Handoffs", "Overdrachten"),
    "cases.rework": ("Repeated steps", "Herhaalde stappen"),
    "cases.route": ("Departments in order of first visit: {route}", "Afdelingen in volgorde van eerste bezoek: {route}"),
    "cases.attributes": ("Case attributes: {attributes}", "Zaakkenmerken: {attributes}"),
    "cases.trail": ("The trail, step by step", "Het spoor, stap voor stap"),
    "cases.deviations_later": (
        "Deviations from the intended journey are marked here once an intended journey is loaded.",
        "Afwijkingen van de bedoelde klantreis worden hier gemarkeerd zodra een bedoelde reis is geladen.",
    ),
    "cases.deviations": ("Deviations from the intended journey", "Afwijkingen van de bedoelde reis"),
    "cases.conforming": ("This case follows the intended journey.", "Deze zaak volgt de bedoelde reis."),
    # intended vs discovered
    "intended.intro": (
        "Lay the journey the organisation designed over the journey cases really took: which "
        "designed steps are skipped, what happens that was never designed, where waits exceed "
        "the norm, and what each deviation costs in time.",
        "Leg de reis die de organisatie bedoelde over de reis die zaken werkelijk aflegden: welke "
        "bedoelde stappen worden overgeslagen, wat er gebeurt dat nooit zo bedoeld was, waar "
        "wachttijden de norm overschrijden, en wat elke afwijking aan tijd kost.",
    ),
    "intended.source": ("Intended journey", "Bedoelde reis"),
    "intended.source.sample": ("The one bundled with the sample", "Die bij het voorbeeld hoort"),
    "intended.source.upload": ("Upload a journey file", "Eigen bestand met de bedoelde reis"),
    "intended.source.variant": ("A variant of this log", "Een variant van deze log"),
    "intended.file": (
        "Journey file (CSV, Excel, YAML or BPMN)",
        "Bestand met de bedoelde reis (CSV, Excel, YAML of BPMN)",
    ),
    "intended.file_help": (
        "A journey table has one row per step: step, activity, department, and optionally "
        "optional, may_repeat, parallel_group, alternative_group, goal, max_wait_hours "
        "(Dutch headers work too). In YAML, rules every case must keep go under `rules`: "
        "precedes, within, four_eyes, starts_with, ends_with. BPMN 2.0 process models are "
        "read as well.",
        "Een reistabel heeft één rij per stap: stap, activiteit, afdeling, en desgewenst "
        "optioneel, herhaalbaar, parallelle_groep, alternatieve_groep, doel, max_wachttijd_uren "
        "(Engelse koppen werken ook). In YAML staan regels die elke zaak moet volgen onder "
        "`regels`: gaat_vooraf, binnen, vier_ogen, begint_met, eindigt_met. "
        "BPMN 2.0-procesmodellen worden ook gelezen.",
    ),
    "intended.variant": ("Variant to use as the intended journey", "Variant als bedoelde reis"),
    "intended.none": (
        "No intended journey yet: upload a journey file or choose a variant above.",
        "Nog geen bedoelde reis: lees een bestand in of kies hierboven een variant.",
    ),
    "intended.error": ("This journey file cannot be used: {error}", "Dit reisbestand is niet bruikbaar: {error}"),
    "intended.in_use": ("Intended journey: {name} ({steps} steps).", "Bedoelde reis: {name} ({steps} stappen)."),
    "intended.conforming": ("Cases without any deviation", "Zaken zonder enige afwijking"),
    "intended.fitness": ("Fitness (alignments)", "Fitness (alignments)"),
    "intended.fitness_help": (
        "How well the cases' steps fit the intended flow, from 0 to 1, as pm4py computes it "
        "from alignments; wait norms and departments do not count here.",
        "Hoe goed de stappen van de zaken bij de bedoelde volgorde passen, van 0 tot 1, zoals "
        "pm4py het met alignments berekent; wachtnormen en afdelingen tellen hier niet mee.",
    ),
    "intended.aligning": (
        "Comparing the variants with the intended journey: {done} of {total}",
        "Varianten vergelijken met de bedoelde reis: {done} van {total}",
    ),
    "intended.approximate": (
        "Approximate: {cases} cases ({variants} variants) took too long to align. Their "
        "deviations come from an approximate alignment (maybe too many), and the fitness "
        "lies between {low} and {high}.",
        "Benadering: {cases} zaken ({variants} varianten) waren niet op tijd uitgelijnd. Hun "
        "afwijkingen komen uit een benaderende uitlijning (mogelijk te veel) en de fitness "
        "ligt tussen {low} en {high}.",
    ),
    "intended.no_overlay": (
        "This intended journey allows too many orders (much in parallel) to lay over the map; "
        "it is shown beside it.",
        "Deze bedoelde reis laat te veel volgordes toe (veel tegelijk) om over de kaart te "
        "leggen; hij staat ernaast.",
    ),
    "intended.view": ("Show", "Toon"),
    "intended.view.overlay": ("Overlay on the discovered map", "Over de werkelijke kaart heen"),
    "intended.view.side": ("Side by side", "Naast elkaar"),
    "intended.designed": ("Intended", "Bedoeld"),
    "intended.discovered": ("Discovered", "Werkelijk"),
    "intended.legend": (
        "Blue: designed and taken (how often). Grey dashed: designed, never taken. Orange: "
        "taken, never designed. Red outline: cases waited longer than the norm before the step.",
        "Blauw: bedoeld en gevolgd (hoe vaak). Grijs gestreept: bedoeld, nooit gevolgd. Oranje: "
        "gevolgd, nooit bedoeld. Rode rand: zaken wachtten langer dan de norm vóór de stap.",
    ),
    "intended.deviations": ("Deviations, ranked", "Afwijkingen op volgorde"),
    "intended.over_time": ("Conformance per month", "Conformiteit per maand"),
    "intended.by_department": ("Deviations per department", "Afwijkingen per afdeling"),
    "intended.rate_percent": ("cases without deviation (%)", "zaken zonder afwijking (%)"),
    "intended.one_month": (
        "The cases start within one month: no trend to show.",
        "De zaken beginnen binnen één maand: er is geen verloop te tonen.",
    ),
    "intended.deviations_count": ("deviations", "afwijkingen"),
    "intended.rank": ("Rank by", "Rangschik op"),
    "intended.rank.cases": ("Cases affected", "Getroffen zaken"),
    "intended.rank.time": ("Time cost", "Tijdkosten"),
    "intended.deviation": ("Deviation", "Afwijking"),
    "intended.deviation_cases": ("{cases} with this deviation", "{cases} met deze afwijking"),
    "intended.open_case": ("Case to open", "Zaak om te openen"),
    "intended.open": ("Open in the case explorer", "Openen in de zaakverkenner"),
    "overview.conformance_help": (
        "Share of cases that follow the intended journey '{name}' without any deviation.",
        "Aandeel zaken dat de bedoelde reis '{name}' zonder enige afwijking volgt.",
    ),
    "col.kind": ("deviation", "afwijking"),
    "col.time_cost": ("extra time (median)", "extra tijd (mediaan)"),
    "col.case_throughput": ("throughput", "doorlooptijd"),
    "yes": ("yes", "ja"),
    # customer journey
    "page.journey": ("Customer journey", "Klantreis"),
    "journey.intro": (
        "The journey as customers went through it, stage by stage: touchpoints, departments and "
        "channels, where cases drop out, how customers felt, which moments change the outcome, "
        "and how segments differ. Every figure is computed from the log (and the filters).",
        "De reis zoals klanten die werkelijk aflegden, fase voor fase: contactmomenten, "
        "afdelingen en kanalen, waar zaken afhaken, hoe klanten het beleefden, welke momenten de "
        "uitkomst bepalen en hoe segmenten verschillen. Elk getal komt uit de log (en de filters).",
    ),
    "journey.stages_source": ("Stages", "Fasen"),
    "journey.stages_source.suggested": ("Suggested", "Voorgesteld"),
    "journey.stages_source.file": ("From a stage file", "Uit een fasebestand"),
    "journey.suggested_from_journey": (
        "Suggested from the intended journey '{name}': consecutive steps of one department form a stage.",
        "Voorgesteld op basis van de bedoelde reis '{name}': opeenvolgende stappen van één afdeling vormen een fase.",
    ),
    "journey.suggested_from_log": (
        "Suggested from the log's usual order of activities: consecutive steps of one department form a stage.",
        "Voorgesteld op basis van de gebruikelijke volgorde in de log: opeenvolgende stappen van één afdeling vormen een fase.",
    ),
    "journey.stages_file": (
        "Stage file (CSV, Excel or YAML)",
        "Fasebestand (CSV, Excel of YAML)",
    ),
    "journey.stages_file_help": (
        "Two columns, activity and stage (or activiteit and fase); or YAML: each stage with its list of activities. The stages follow the order in which they are first named.",
        "Twee kolommen, activiteit en fase (of activity en stage); of YAML: elke fase met de lijst van haar activiteiten. De fasen volgen de volgorde waarin ze voor het eerst genoemd worden.",
    ),
    "journey.stages_file_none": (
        "No stage file yet: the suggested stages are used until one is uploaded.",
        "Nog geen fasebestand: de voorgestelde fasen worden gebruikt tot er een is ingelezen.",
    ),
    "journey.stages_error": (
        "These stages cannot be used: {error}",
        "Deze fasen zijn niet bruikbaar: {error}",
    ),
    "journey.stages_edited": ("the stage table", "de fasetabel"),
    "journey.stages_edit": (
        "Activities and their stage ({count} stages): view or edit",
        "Activiteiten en hun fase ({count} fasen): bekijken of aanpassen",
    ),
    "journey.stages_edit_help": (
        "Type another stage name to move an activity; a new name makes a new stage. Stages follow the order of the table; an activity without a stage is left out of the stage figures.",
        "Typ een andere fasenaam om een activiteit te verplaatsen; een nieuwe naam maakt een nieuwe fase. De fasen volgen de volgorde van de tabel; een activiteit zonder fase telt niet mee in de fasecijfers.",
    ),
    "journey.stages_download": ("Download these stages (CSV)", "Deze fasen downloaden (CSV)"),
    "journey.timeout": ("Still open after (days)", "Nog open tot (dagen)"),
    "journey.timeout_help": (
        "A case that has not reached a goal counts as still open when its last event is at most this many days before the log's last moment; otherwise it dropped out.",
        "Een zaak die geen doel bereikte telt als nog open wanneer haar laatste gebeurtenis hoogstens zoveel dagen voor het laatste moment van de log ligt; anders is ze afgehaakt.",
    ),
    "journey.map": ("Journey map", "Klantreiskaart"),
    "journey.image_format": ("Save as", "Opslaan als"),
    "journey.image_help": (
        "The camera icon at the top right of the map saves it as an image in this format, at the map's full size (drawn in your browser; on a narrow screen, scroll the map sideways to reach it).",
        "Het camera-icoon rechtsboven de kaart slaat hem op als afbeelding in dit formaat, op ware grootte (gemaakt in uw browser; schuif de kaart op een smal scherm opzij om het te bereiken).",
    ),
    "journey.by_stage": ("Stage by stage", "Fase voor fase"),
    "journey.not_in_log": (
        "Named in the stages but not in this log: {names}.",
        "Genoemd in de fasen maar niet in deze log: {names}.",
    ),
    "journey.unstaged": (
        "Activities without a stage (left out of the stage figures): {names}.",
        "Activiteiten zonder fase (niet in de fasecijfers): {names}.",
    ),
    "journey.dropoff": ("Drop-off", "Uitval"),
    "journey.dropoff_help": (
        "Completed: reached {goals}. Still open: not completed, last event at most {days} days before the log ends. Otherwise abandoned at the last step.",
        "Afgerond: {goals} bereikt. Nog open: niet afgerond, laatste gebeurtenis hoogstens {days} dagen voor het einde van de log. Anders afgehaakt bij de laatste stap.",
    ),
    "journey.completed": ("completed", "afgerond"),
    "journey.open": ("still open", "nog open"),
    "journey.abandoned": ("abandoned", "afgehaakt"),
    "journey.went_on": ("went on or completed", "verder of afgerond"),
    "journey.funnel_by": ("Funnel by", "Trechter per"),
    "journey.funnel_by.step": ("Step", "Stap"),
    "journey.funnel_by.stage": ("Stage", "Fase"),
    "journey.channels": ("Channels", "Kanalen"),
    "journey.no_channels": (
        "This log has no channel column: no channels or channel switches.",
        "Deze log heeft geen kanaalkolom: geen kanalen of kanaalwissels.",
    ),
    "journey.switches_per_case": ("Channel switches per case", "Kanaalwissels per zaak"),
    "journey.switches": ("Channel switches within a case", "Kanaalwissels binnen een zaak"),
    "journey.touchpoint_channels": (
        "Touchpoints and their channels (most used first)",
        "Contactmomenten en hun kanalen (meest gebruikt eerst)",
    ),
    "journey.external": ("Touchpoints with other organisations", "Contactmomenten met andere organisaties"),
    "journey.no_external": (
        "The log marks no other organisations (an organisation column, such as organisation or organisatie, would).",
        "De log noemt geen andere organisaties (een organisatiekolom, zoals organisatie of organisation, zou dat doen).",
    ),
    "journey.emotion": ("Emotion curve", "Belevingscurve"),
    "journey.no_emotion": (
        "This log has no scores or complaints: no emotion curve.",
        "Deze log heeft geen scores of klachten: geen belevingscurve.",
    ),
    "journey.emotion_help.score": (
        "The mean score per touchpoint with its 95% interval; a complaint counts as the lowest score at the touchpoint where it was made.",
        "De gemiddelde score per contactmoment met het 95%-interval; een klacht telt als de laagste score bij het contactmoment waar ze ontstond.",
    ),
    "journey.emotion_help.share without complaint": (
        "Without scores: the share of cases that did not complain at each touchpoint, with its 95% interval.",
        "Zonder scores: het aandeel zaken dat bij een contactmoment niet klaagde, met het 95%-interval.",
    ),
    "journey.scale.score": ("mean score", "gemiddelde score"),
    "journey.scale.share without complaint": ("share without complaint", "aandeel zonder klacht"),
    "journey.band": ("95% interval", "95%-interval"),
    "journey.moments": ("Moments of truth", "Momenten van de waarheid"),
    "journey.moments_help": (
        "Touchpoints whose experience (a long wait, a repeat, a low score) changes the outcome the most; tested (Fisher, Holm), kept when both groups have at least 20 cases and the risk is at least 1.5 times as high.",
        "Contactmomenten waarvan de ervaring (lang wachten, een herhaling, een lage score) de uitkomst het meest verandert; getoetst (Fisher, Holm), getoond wanneer beide groepen minstens 20 zaken hebben en het risico minstens 1,5 keer zo hoog is.",
    ),
    "journey.no_moments": (
        "No moment of truth stands out ({tested} comparisons tested).",
        "Geen moment van de waarheid valt op ({tested} vergelijkingen getoetst).",
    ),
    "journey.complaints": ("Complaint journeys", "Klachtreizen"),
    "journey.complaints_help": ("Complaint activities: {activities}.", "Klachtactiviteiten: {activities}."),
    "journey.complaint_cases": ("Cases with a complaint", "Zaken met een klacht"),
    "journey.handling": ("Median handling time", "Mediane afhandeltijd"),
    "journey.loops": ("Cases with a loop", "Zaken met een lus"),
    "journey.loops_table": (
        "Steps repeated after the complaint",
        "Stappen die na de klacht herhaald werden",
    ),
    "journey.preceding": (
        "Touchpoints before a complaint",
        "Contactmomenten voor een klacht",
    ),
    "journey.standout": ("Segments that stand out", "Opvallende segmenten"),
    "journey.standout_help": (
        "Every case attribute with 2 to 12 segments ({attributes}) was tested, each segment against all other cases; {tests} tests, corrected together with Holm's method. Shown: differences both significant and large enough to matter (medians at least 25% apart, rates at least 5 points, means at least 0.3 standard deviations).",
        "Elk zaakkenmerk met 2 tot 12 segmenten ({attributes}) is getoetst, elk segment tegen alle andere zaken; {tests} toetsen, samen gecorrigeerd met de methode van Holm. Getoond: verschillen die significant zijn en groot genoeg om ertoe te doen (medianen minstens 25% uiteen, percentages minstens 5 punten, gemiddelden minstens 0,3 standaardafwijking).",
    ),
    "journey.standout_none": (
        "No segment stands out: no difference is both significant and large enough to matter ({tests} tests over {attributes}).",
        "Geen segment valt op: geen verschil is zowel significant als groot genoeg om ertoe te doen ({tests} toetsen over {attributes}).",
    ),
    "journey.standout_untested": (
        "No case attribute with 2 to 12 segments (of at least 20 cases each) to compare segments by.",
        "Geen zaakkenmerk met 2 tot 12 segmenten (van elk minstens 20 zaken) om segmenten op te vergelijken.",
    ),
    "journey.standout_more": ("All {count} differences", "Alle {count} verschillen"),
    "col.attribute": ("attribute", "kenmerk"),
    "col.difference": ("difference", "verschil"),
    "col.p_adjusted": ("p (Holm)", "p (Holm)"),
    "journey.segments": ("Segments side by side", "Segmenten naast elkaar"),
    "journey.no_attributes": (
        "This log has no case attributes (such as age group or region) to form segments from.",
        "Deze log heeft geen zaakkenmerken (zoals leeftijdsgroep of regio) om segmenten mee te vormen.",
    ),
    "journey.segment_attribute": ("Compare segments by", "Segmenten vergelijken op"),
    "journey.segment_choose": ("(choose an attribute)", "(kies een kenmerk)"),
    "journey.segments_help": (
        "Each segment is compared with all other cases; a numeric attribute is cut into four groups of about equal size.",
        "Elk segment wordt vergeleken met alle andere zaken; een numeriek kenmerk wordt in vier ongeveer even grote groepen verdeeld.",
    ),
    "journey.differences": ("Differences that matter", "Verschillen die ertoe doen"),
    "journey.differences_help": (
        "{shown} of {tests} tests: significant after Holm's correction and large enough to matter (medians at least 25% apart, rates at least 5 points).",
        "{shown} van {tests} toetsen: significant na Holms correctie en groot genoeg om ertoe te doen (medianen minstens 25% uiteen, percentages minstens 5 punten).",
    ),
    "journey.no_differences": (
        "No difference between the segments is both significant and large enough to matter ({tests} tests).",
        "Geen verschil tussen de segmenten is zowel significant als groot genoeg om ertoe te doen ({tests} toetsen).",
    ),
    "journey.segment_maps": ("Process maps side by side", "Proceskaarten naast elkaar"),
    "journey.segment_a": ("Segment", "Segment"),
    "journey.segment_b": ("Compared with", "Vergeleken met"),
    "journey.segment_rest": ("all other cases", "alle andere zaken"),
    "journey.segment_empty": (
        "No cases of this segment remain after the filters.",
        "Na de filters blijven geen zaken van dit segment over.",
    ),
    "col.stage": ("stage", "fase"),
    "col.stage_time": ("time in stage (median)", "tijd in fase (mediaan)"),
    "col.wait_before_stage": ("wait before the stage (median)", "wachttijd voor de fase (mediaan)"),
    "col.touchpoints": ("touchpoints", "contactmomenten"),
    "col.departments": ("departments", "afdelingen"),
    "col.channels": ("channels", "kanalen"),
    "col.reached": ("reached", "bereikt"),
    "col.drop_rate": ("drop-off rate", "uitvalpercentage"),
    "col.wait_before_dropping": (
        "waited before dropping out (median)",
        "wachttijd voor het afhaken (mediaan)",
    ),
    "col.organisation": ("organisation", "organisatie"),
    "col.complaint_rate": ("complaint rate after it", "klachtpercentage erna"),
    "col.other_rate": ("complaint rate of the others", "klachtpercentage van de anderen"),
    "col.segment": ("segment", "segment"),
    "col.score": ("mean score", "gemiddelde score"),
    "col.handoffs_per_case": ("handoffs per case", "overdrachten per zaak"),
}
# fmt: on


def t(key: str, language: Language = "en", **values: object) -> str:
    """The text for `key` in `language`, with `values` filled in.

    >>> t("upload.in_use", "nl", name="log.xlsx")
    'In gebruik: log.xlsx.'
    """
    english, dutch = TEXT[key]
    text = dutch if language == "nl" else english
    return text.format(**values) if values else text
