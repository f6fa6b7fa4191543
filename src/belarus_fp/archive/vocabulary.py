"""The closed vocabularies of the curated tables: every value, its display label, in display order.

This module is the one place a vocabulary is defined. ``data/curated/datapackage.json``'s
``constraints.enum`` list of each field naming its ``vocabulary`` is generated from it
(``python -m belarus_fp.vocabulary --write``; a test fails when the file differs), and
``data/curated/README.md`` defines every value (a test fails when one is missing). The analysis modules take their orders and labels from here.
``doc_id`` is the exception: its values are the documents of ``data/raw/manifest.csv``.

Plain Python (no pandas), so any module may import it.
"""

from __future__ import annotations

import json
import re

#: vocabulary -> {value: label}, in display order.
LABELS: dict[str, dict[str, str]] = {
    "claim": {
        "achieved": "achieved (done or observed)",
        "planned": "planned",
        "considered": "under consideration",
        "possible": "possible (an opportunity opened)",
        "target": "target (an aim)",
        "stated": "stated (a standing description)",
    },
    "stage": {"signed": "signed", "in_force": "in force"},
    "qualifier": {"exact": "exact", "lower_bound": "lower bound", "upper_bound": "upper bound", "approximate": "approximate"},
    "unit": {
        "usd_bn": "USD bn",
        "usd_m": "USD m",
        "eur_m": "EUR m",
        "eur_bn": "EUR bn",
        "percent": "%",
        "count": "count",
        "people_m": "million people",
        "ordinal": "rank",
        "date": "date",
        "period": "period",
        "identifier": "identifier",
        "years": "years",
    },
    "topic": {
        "trade": "Trade",
        "investment": "Investment",
        "export_support": "Export support",
        "integration": "Eurasian integration",
        "multilateral": "Multilateral",
        "bilateral": "Bilateral",
        "diplomatic_network": "Diplomatic network",
        "treaties": "Treaties",
        "consular": "Consular",
        "development_finance": "Development finance",
        "security": "Security",
        "humanitarian": "Humanitarian",
        "population": "Population",
        "other": "Other",
    },
    "relation": {
        "union_state": "Union State",
        "strategic_partnership": "Strategic partnership",
        "traditional_partner": "Traditional partner",
        "prospective_partner": "Prospective partner",
        "integration_partner": "Integration partner",
        "accession_roadmap": "Accession roadmap",
        "high_level_visit_out": "High-level visit (Belarus to the country)",
        "high_level_visit_in": "High-level visit (the country to Belarus)",
        "intergovernmental_commission": "Intergovernmental commission",
        "consultations": "Consultations",
        "embassy_opened": "Embassy opened",
        "embassy_planned": "Embassy planned",
        "embassy_considered": "Embassy considered",
        "diplomatic_relations_established": "Diplomatic relations established",
        "visa_free_agreement": "Visa-free agreement",
        "visa_waiver_agreement": "Visa waiver agreement",
        "visa_waiver_official_passports": "Visa waiver (official passports)",
        "readmission_agreement": "Readmission agreement",
        "joint_production": "Joint production",
        "free_trade_negotiation": "Free-trade talks",
        "cross_border_programme": "Cross-border programme",
        "border_demarcation": "Border demarcation",
        "consular_assistance": "Consular assistance",
        "consular_assistance_provider": "Consular assistance provided",
        "dialogue": "Dialogue",
        "advocacy": "Advocacy",
        "agreement_signed": "Agreement signed",
        "ally": "Ally",
        "economic_cooperation": "Economic cooperation",
        "embassy_coverage": "Embassy coverage",
        "high_level_contacts": "High-level contacts",
        "humanitarian_cooperation": "Humanitarian cooperation",
        "instability": "Instability",
        "investment": "Investment",
        "mentioned": "Mentioned",
        "military_technical_cooperation": "Military-technical cooperation",
        "partner": "Partner",
        "priority_direction": "Priority direction",
        "sanctions": "Sanctions",
        "security_cooperation": "Security cooperation",
        "trade": "Trade",
    },
    "kind": {
        "un_system": "UN system",
        "eurasian_integration": "Eurasian integration",
        "security": "Security",
        "european": "European",
        "financial": "Financial",
        "trade": "Trade",
        "regional": "Regional (outside Europe)",
        "other": "Other",
    },
    # Status first (membership, office held), ``mentioned`` last.
    "engagement": {
        "member": "member",
        "implied_member": "member (implied)",
        "observer": "observer",
        "presidency": "presidency",
        "elected_to_body": "elected to a body",
        "accession_negotiation": "accession negotiation",
        "agreement_negotiation": "agreement negotiation",
        "enlargement": "enlargement",
        "initiative": "initiative",
        "hosted_event": "hosted event",
        "participation": "participation",
        "cooperation": "cooperation",
        "dialogue": "dialogue",
        "partnership": "partnership",
        "agreement": "agreement",
        "financing": "financing",
        "technical_assistance": "technical assistance",
        "contribution": "contribution",
        "reporting": "reporting",
        "visit_received": "visit received",
        "position": "position",
        "sanctions": "sanctions",
        "mentioned": "mentioned",
    },
    # Closest ties first.
    "term": {
        "union_basis": "union basis",
        "union_state": "Union State / union project",
        "top_priority": "topping the list",
        "ally": "ally",
        "strategic_partnership": "strategic partner(ship)",
        "comprehensive_strategic_partnership": "comprehensive strategic partnership",
        "strategic_cooperation": "strategic cooperation",
        "sovereignty_territorial_integrity": "sovereignty and territorial integrity",
        "main_trade_partner": "main trade partner",
        "priority_partner": "priority partner",
        "important_trade_partner": "important trade partner",
        "important_economic_partner": "important economic partner",
        "reliable_partner": "reliable partner",
        "neighbour": "neighbour",
        "traditional_partner": "traditional partner",
        "market_with_substantial_potential": "market with substantial potential",
        "prospective_partner": "new prospective partner",
        "key_state": "key state for Belarusian interests",
        "constructive_dialogue": "constructive dialogue",
        "constructive_cooperation": "constructive cooperation",
        "pragmatic_cooperation": "pragmatic cooperation",
        "normalization": "normalisation",
        "complex_relations": "complex political relations",
        "warming": "harbingers of warming",
    },
    # Reading order: the overview, the country regions (``countries.VECTORS``), then the themes.
    "vector": {
        "general": "Overview",
        "russia": "Russia",
        "cis_eurasian": "CIS & Eurasian",
        "europe": "Europe & EU",
        "north_america": "USA & Canada",
        "asia_pacific": "Asia & Pacific",
        "latin_america": "Latin America",
        "africa": "Africa",
        "middle_east": "Middle East",
        "africa_middle_east": "Africa & Middle East",
        "south": "Asia, Latin America & Africa",
        "multilateral": "Multilateral",
        "security": "Security",
        "economic": "Economic diplomacy",
        "treaties": "Treaties",
        "consular": "Consular & visas",
        "humanitarian": "Humanitarian",
        "information": "Information",
    },
    "title_source": {"document": "printed in the document", "curated": "restored by the curator"},
    # The recorded posts of the UN statements' speakers, normalised (data/curated/README.md): head of state first.
    "office": {
        "President": "President",
        "Prime Minister": "Prime Minister",
        "Deputy Prime Minister": "Deputy Prime Minister",
        "Minister for Foreign Affairs": "Minister for Foreign Affairs",
        "Representative to the United Nations": "Representative to the United Nations",
        "Chair of the delegation": "Chair of the delegation",
    },
    "basis": {
        "metadata": "speaker and post as the corpus records them",
        "metadata_no_post": "speaker as the corpus records it; no post recorded",
        "text_no_post": "speaker named in the statement; no post recorded",
    },
}

#: The words each ``framing.term`` stands for (regex, case-insensitive): the loader refuses a row whose quote lacks them.
TERM_PATTERNS = {
    "union_basis": r"union basis",
    "union_state": r"union state|union project",
    "top_priority": r"topping the list",
    "ally": r"\bally\b|\ballies\b",
    "strategic_partnership": r"(?<!comprehensive )strategic partner(?:ship)?",
    "comprehensive_strategic_partnership": r"comprehensive strategic partnership",
    "strategic_cooperation": r"strategic cooperation",
    "sovereignty_territorial_integrity": r"sovereignty and territorial integrity",
    "main_trade_partner": r"main trade partner",
    "priority_partner": r"priority foreign economic and political partners",
    "important_trade_partner": r"important trade partner",
    "important_economic_partner": r"important economic partners?",
    "reliable_partner": r"reliable partner",
    "neighbour": r"neighbours?\b",
    "traditional_partner": r"traditional partners",
    "market_with_substantial_potential": r"markets with a substantial potential",
    "prospective_partner": r"prospective partners",
    "key_state": r"key states",
    "constructive_dialogue": r"constructive (?:and (?:fruitful|equal) )?(?:political )?dialogues?",
    "constructive_cooperation": r"constructive cooperation",
    "pragmatic_cooperation": r"pragmatic",
    "normalization": r"normali[sz]",
    "complex_relations": r"complex political relations",
    "warming": r"warming",
}
#: Two more renderings of a ``qualifier`` before a number: in words (citations) and as a sign (tables).
QUALIFIER_WORDS = {"exact": "", "lower_bound": "more than ", "upper_bound": "up to ", "approximate": "about "}
QUALIFIER_SIGNS = {"exact": "", "lower_bound": "≥ ", "upper_bound": "≤ ", "approximate": "≈ "}

#: What a ``facts.metric`` of unit ``count`` counts (axis labels and tables; one axis per noun).
COUNTED = {
    "meetings_held": "meetings",
    "decisions_adopted": "decisions",
    "events_organized": "events",
    "consultation_rounds": "rounds of talks",
    "bilateral_talk_rounds": "rounds of talks",
    "bilateral_talk_partners": "countries",
    "participating_countries": "countries",
    "founding_members": "member states",
    "foreign_trade_partners": "countries",
    "new_export_markets": "countries",
    "distribution_network_enterprises": "enterprises",
    "largest_trading_partners_group_size": "size of Russia's top group of trading partners (a rank, not a count of Belarus's partners)",
}


def values(vocabulary: str, archive=None) -> tuple[str, ...]:
    """The values of a vocabulary in display order (``doc_id``: the documents of the manifest of ``archive`` (default: the clone's))."""
    if vocabulary == "doc_id":
        from . import sources

        return tuple(sources.doc_ids(archive))
    return tuple(LABELS[vocabulary])


def label(vocabulary: str, value: str) -> str:
    """The display label of one value; an unknown value is a KeyError naming the vocabulary."""
    try:
        return LABELS[vocabulary][value]
    except KeyError:
        raise KeyError(f"{value!r} is not a value of the vocabulary {vocabulary!r} (belarus_fp.archive.vocabulary.LABELS)") from None


def ordered(vocabulary: str, present, archive=None) -> list[str]:
    """The values of ``present`` in the vocabulary's display order (unknown values last, sorted)."""
    present = set(present)
    known = [v for v in values(vocabulary, archive) if v in present]
    return known + sorted(present - set(known))


def with_enums(package: dict, archive=None) -> dict:
    """``package`` (a datapackage.json descriptor) with the enum of every field that names a ``vocabulary``
    set from this module (``doc_id``: the documents of the manifest of ``archive``, default: the clone's), and
    the prefixes of every ``documentPrefix`` id's pattern (``^(r13|pri)-...``) from that manifest.

    Raises:
        ValueError: an id pattern is not of the form ``^(prefix|...)-...``, or a field names no vocabulary of :data:`LABELS`.
    """
    from . import sources

    package = json.loads(json.dumps(package))
    prefixes = "|".join(row["id_prefix"] for row in sources.manifest(archive))
    for res in package["resources"]:
        for field in res["schema"]["fields"]:
            name = field.get("vocabulary")
            if name is not None and name != "doc_id" and name not in LABELS:
                known = ", ".join(LABELS)
                raise ValueError(f"datapackage.json: {res['name']}.{field['name']} names no vocabulary {name!r} (known: doc_id, {known})")
            if name:
                field.setdefault("constraints", {})["enum"] = list(values(name, archive))
            if field.get("documentPrefix"):
                constraints = field.setdefault("constraints", {})
                rest = re.fullmatch(r"\^\([a-z0-9|]+\)-(.*)", constraints.get("pattern", ""))
                if not rest:
                    raise ValueError(
                        f"datapackage.json: {res['name']}.{field['name']} pattern {constraints.get('pattern')!r} is not ^(prefix|...)-..."
                    )
                constraints["pattern"] = f"^({prefixes})-{rest.group(1)}"
    return package


def datapackage_text(package: dict) -> str:
    """datapackage.json's text as committed (2-space indent, UTF-8, final newline)."""
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"
