"""The diplomatic footprint: classify the bilateral relations of the curated tables for maps and counts.

Curation decisions (used by notebook 02, reusable elsewhere):

- **Strongest kind of relation.** Each relation of the closed vocabulary belongs to one tier of
  :data:`TIERS`, ordered from the closest relation to the loosest: Union State / integration
  partner > strategic partnership > high-level visits and contacts > intergovernmental
  commission > consultations > dialogue > agreements and practical cooperation > named as a
  partner > other mention. A country's strongest kind is the first tier any of its rows reaches.
  The order follows institutional depth: a treaty-based union above a declared partnership,
  meetings of leaders above standing commissions, commissions above ministry consultations,
  consultations above unspecified dialogue; concrete agreements and cooperation come after the
  political channels because the documents report them as outcomes of those channels.
- **Which rows count as activity.** :func:`strongest_kind` uses rows whose ``claim`` is
  ``achieved`` or ``stated`` by default: plans (``planned``, ``considered``, ``target``) are
  not relations yet (the embassy map shows them separately).
- **Agreement stage** (signed or in force) is the curated ``bilateral.stage`` column.
- **Counts per region** count distinct countries, and distinct (country, relation) pairs, so a
  relation quoted twice counts once.
"""

from __future__ import annotations

import pandas as pd

from ..archive import countries, sources, vocabulary
from ..archive.facts import value
from ..archive.texts import priorities, review_2013
from . import needs_tables

#: tier id -> (legend label, relations), strongest first; a tier of one relation takes that relation's label.
TIERS = {
    "integration": ("Union State / integration partner", ("union_state", "integration_partner", "ally")),
    "strategic": ("Strategic partnership or cooperation", ("strategic_partnership",)),
    "visits": ("High-level visits and contacts", ("high_level_visit_out", "high_level_visit_in", "high_level_contacts")),
    "commission": (vocabulary.label("relation", "intergovernmental_commission"), ("intergovernmental_commission",)),
    "consultations": (vocabulary.label("relation", "consultations"), ("consultations",)),
    "dialogue": (vocabulary.label("relation", "dialogue"), ("dialogue",)),
    "cooperation": (
        "Agreements and practical cooperation",
        (
            "agreement_signed",
            "visa_free_agreement",
            "visa_waiver_agreement",
            "visa_waiver_official_passports",
            "readmission_agreement",
            "border_demarcation",
            "free_trade_negotiation",
            "joint_production",
            "military_technical_cooperation",
            "security_cooperation",
            "economic_cooperation",
            "trade",
            "investment",
            "humanitarian_cooperation",
            "cross_border_programme",
            "diplomatic_relations_established",
            "embassy_opened",
            "embassy_planned",
            "embassy_considered",
            "embassy_coverage",
            "accession_roadmap",
            "consular_assistance_provider",
        ),
    ),
    "partner": ("Named as a partner", ("traditional_partner", "prospective_partner", "partner", "priority_direction")),
    "other": (
        "Other mention (consular cases, instability, ...)",
        ("consular_assistance", "mentioned", "instability", "advocacy", "sanctions"),
    ),
}

#: relation -> tier id.
TIER_OF = {relation: tier for tier, (_, relations) in TIERS.items() for relation in relations}
#: Claims that state a plan or an option, not something done.
PLAN_CLAIMS = ("planned", "considered")
#: Tiers that count as activity in a year (not just naming a country).
ACTIVE_TIERS = ("integration", "strategic", "visits", "commission", "consultations", "dialogue", "cooperation")


def tier(relation: str) -> str:
    """The tier id of a relation (an unknown relation is an error)."""
    try:
        return TIER_OF[relation]
    except KeyError:
        raise KeyError(f"relation {relation!r} has no tier in belarus_fp.analysis.footprint.TIERS") from None


@needs_tables
def strongest_kind(bilateral: pd.DataFrame, doc_id: str, claims=("achieved", "stated"), archive=None) -> pd.DataFrame:
    """Each country's strongest kind of relation in one document.

    Args:
        bilateral: the curated ``bilateral`` table.
        doc_id: the document.
        claims: which ``claim`` values count.
        archive: the archive whose manifest lists the known documents (default: the clone's).

    Returns:
        One row per country (sorted by tier order, then ISO3): ``iso3``, ``tier``, ``tier_label``,
        ``rank`` (0 = strongest), ``relations`` (that tier's relations of the country, ``;``-joined).
    """
    sources.check_doc_id(doc_id, archive)  # a typo is an error listing the documents, not an empty result
    rows = bilateral[(bilateral["doc_id"] == doc_id) & bilateral["claim"].isin(claims)]
    order = {t: i for i, t in enumerate(TIERS)}
    rows = rows.assign(tier=rows["relation"].map(tier))
    rows = rows.assign(rank=rows["tier"].map(order))
    best = rows.groupby("iso3")["rank"].min()
    top = rows[rows["rank"] == rows["iso3"].map(best)]
    out = top.groupby("iso3").agg(
        rank=("rank", "first"), tier=("tier", "first"), relations=("relation", lambda s: ";".join(sorted(set(s))))
    )
    out["tier_label"] = out["tier"].map(lambda t: TIERS[t][0])
    return out.reset_index().sort_values(["rank", "iso3"], ignore_index=True)[["iso3", "tier", "tier_label", "rank", "relations"]]


@needs_tables
def counts_by_vector(bilateral: pd.DataFrame, archive=None) -> pd.DataFrame:
    """Countries and distinct (country, relation) pairs per vector and document.

    Returns:
        Index ``countries.VECTORS`` (in order, zeros included); columns a MultiIndex
        (doc_id, ``countries`` / ``relations``), documents in the manifest's order.
    """
    pairs = bilateral[["doc_id", "iso3", "relation"]].drop_duplicates()
    pairs = pairs.assign(vector=pairs["iso3"].map(lambda code: countries.vector(code, archive)))
    docs = sources.in_manifest_order(bilateral["doc_id"], archive=archive)
    parts = {}
    for doc in docs:
        sub = pairs[pairs["doc_id"] == doc].groupby("vector")
        parts[(doc, "countries")] = sub["iso3"].nunique()
        parts[(doc, "relations")] = sub.size()
    out = pd.DataFrame(parts).reindex(countries.VECTORS).fillna(0).astype(int)
    out.columns = pd.MultiIndex.from_tuples(out.columns, names=["doc_id", "count"])
    out.index.name = "vector"
    return out


def share_of_un(stated_count: float, un_members: int) -> float:
    """Percent of the UN membership that ``stated_count`` countries make (a derived number)."""
    if un_members <= 0:
        raise ValueError("un_members must be positive")
    return 100 * stated_count / un_members


@needs_tables
def un_share_check(facts: pd.DataFrame) -> pd.DataFrame:
    """The 2013 review's count of countries with diplomatic relations as a share of the UN membership (derived).

    On two denominators (all members; members other than Belarus), against the stated percent.

    Returns:
        One row per denominator: ``denominator``, ``members``, ``count`` and ``percent`` (stated),
        ``share_pct`` (derived), ``agrees`` (the derived share, rounded to a whole percent, is the stated one).
    """
    ids = review_2013.UN_SHARE_FACTS
    count, percent = value(facts, ids["count"])[0], value(facts, ids["percent"])[0]
    un = countries.un_members()
    rows = []
    for denominator, members in (("all UN members", len(un)), ("UN members other than Belarus", len(un - {"BLR"}))):
        share = share_of_un(count, members)
        rows.append(
            {
                "denominator": denominator,
                "members": members,
                "count": count,
                "percent": percent,
                "share_pct": share,
                "agrees": round(share) == percent,
            }
        )
    return pd.DataFrame(rows)


_UNION = "Union State, integration partner, strategic partnership or cooperation"
_TALKS = "Commission, consultations or dialogue"
_NAMED = "Named only: as a partner, or another mention"
#: Nine tiers cannot be told apart on a map: the maps group them into five ordered classes
#: (tier -> class, closest first; colours in ``belarus_fp.viz.footprint.MAP_CLASS_COLOURS``).
MAP_CLASSES = {
    "integration": _UNION,
    "strategic": _UNION,
    "visits": TIERS["visits"][0],
    "commission": _TALKS,
    "consultations": _TALKS,
    "dialogue": _TALKS,
    "cooperation": TIERS["cooperation"][0],
    "partner": _NAMED,
    "other": _NAMED,
}


@needs_tables
def arc(bilateral: pd.DataFrame, arc_doc: str = priorities.DOC_ID, activity_doc: str = review_2013.DOC_ID, archive=None) -> pd.DataFrame:
    """The "foreign policy arc" (traditional partners vs prospective markets) against a year's activity.

    Args:
        bilateral: the curated ``bilateral`` table.
        arc_doc: document whose ``traditional_partner`` / ``prospective_partner`` rows define the arc
            (:data:`belarus_fp.archive.texts.priorities.PARTNER_LISTS`).
        activity_doc: document whose activity (:data:`ACTIVE_TIERS`, claims achieved / stated) is compared.
        archive: the archive whose manifest lists the known documents (default: the clone's).

    Returns:
        One row per country on the arc or active in ``activity_doc``: ``iso3``, ``arc``
        (``traditional``, ``prospective`` or empty), ``active`` (bool), ``activity_tier``
        (strongest tier in ``activity_doc``, empty if none), ``plans`` (the relations that
        ``activity_doc`` gives the country as plans or under consideration, ``;``-joined, e.g.
        ``embassy_planned``: not activity, but not nothing either), ``category`` (the arc map's
        :data:`belarus_fp.archive.texts.priorities.ARC_CATEGORIES` label); sorted by ``iso3``.
    """
    sources.check_doc_id(arc_doc, archive)  # a typo is an error listing the documents, not an empty result
    rows = bilateral[bilateral["doc_id"] == arc_doc]
    traditional, prospective = priorities.PARTNER_LISTS
    trad = set(rows.loc[rows["relation"] == traditional, "iso3"])
    pros = set(rows.loc[rows["relation"] == prospective, "iso3"])
    both = sorted(trad & pros)
    if both:
        raise ValueError(f"{arc_doc}: countries both traditional and prospective partners: {both}")
    kinds = strongest_kind(bilateral, activity_doc, archive=archive).set_index("iso3")["tier"]
    codes = sorted(trad | pros | set(kinds.index[kinds.isin(ACTIVE_TIERS)]))
    out = pd.DataFrame({"iso3": codes})
    out["arc"] = out["iso3"].map(lambda c: "traditional" if c in trad else "prospective" if c in pros else "")
    out["activity_tier"] = out["iso3"].map(kinds).fillna("")
    out["active"] = out["activity_tier"].isin(ACTIVE_TIERS)
    act = bilateral[(bilateral["doc_id"] == activity_doc) & bilateral["claim"].isin(PLAN_CLAIMS)]
    plans = act.groupby("iso3")["relation"].agg(lambda r: ";".join(sorted(set(r))))
    out["plans"] = [plans.get(c, "") for c in out["iso3"]]
    out["category"] = [arc_category(a, act) for a, act in zip(out["arc"], out["active"], strict=True)]
    return out[["iso3", "arc", "active", "activity_tier", "plans", "category"]]


def arc_category(arc_list: str, active: bool) -> str:
    """The arc map's category of a country: its list on the priorities page and whether the review reports activity.

    The labels are :data:`belarus_fp.archive.texts.priorities.ARC_CATEGORIES`.
    """
    return priorities.ARC_CATEGORIES[(arc_list, bool(active))]


# --------------------------------------------------------------------------- the review's plans, agreements and visits

#: Visa agreement relations -> their kind in the visa map's legend, in legend order.
VISA_KINDS = {
    "visa_free_agreement": "visa-free travel",
    "visa_waiver_agreement": "travel visa waiver",
    "visa_waiver_official_passports": "visa waiver, diplomatic & official passports",
}
#: Visit relations -> their direction in the visits map's legend.
VISIT_DIRECTIONS = {"high_level_visit_out": "Belarus → partner (outgoing)", "high_level_visit_in": "partner → Belarus (incoming)"}


@needs_tables
def embassies(bilateral: pd.DataFrame, doc_id: str = review_2013.DOC_ID, archive=None) -> pd.DataFrame:
    """One row per country with an embassy opened, planned or considered, or relations established.

    ``status``: :data:`belarus_fp.archive.texts.review_2013.EMBASSY_STATUS`, whose labels give the review's years.

    Raises:
        ValueError: a country has two of these statuses (the map shows one per country).
    """
    sources.check_doc_id(doc_id, archive)  # a typo is an error listing the documents, not an empty result
    status = review_2013.EMBASSY_STATUS
    rows = bilateral[(bilateral["doc_id"] == doc_id) & bilateral["relation"].isin(status)]
    out = rows.drop_duplicates(["iso3", "relation"]).assign(status=lambda d: d["relation"].map(status))
    twice = sorted(out.loc[out["iso3"].duplicated(), "iso3"])
    if twice:
        raise ValueError(f"{doc_id}: countries with two embassy statuses: {twice}")
    return out


@needs_tables
def visa_agreements(bilateral: pd.DataFrame, doc_id: str = review_2013.DOC_ID, archive=None) -> pd.DataFrame:
    """One row per country with a visa agreement: ``label`` = its kind and stage ("visa-free travel: signed in 2013").

    A country with agreements of two kinds is shown with the first kind of :data:`VISA_KINDS`. The year of the
    label is the review's (:data:`belarus_fp.archive.texts.review_2013.YEAR`).
    """
    sources.check_doc_id(doc_id, archive)  # a typo is an error listing the documents, not an empty result
    visas = bilateral[(bilateral["doc_id"] == doc_id) & bilateral["relation"].isin(VISA_KINDS)].copy()
    visas["label"] = visas["relation"].map(VISA_KINDS) + ": " + visas["stage"].map(vocabulary.LABELS["stage"]) + f" in {review_2013.YEAR}"
    visas["kind_order"] = visas["relation"].map(list(VISA_KINDS).index)
    return visas.sort_values(["kind_order", "iso3"]).drop_duplicates("iso3").sort_values(["label", "iso3"])


@needs_tables
def visits(bilateral: pd.DataFrame, doc_id: str = review_2013.DOC_ID, archive=None) -> pd.DataFrame:
    """Rows of high-level visits per (``iso3``, ``relation``) (:data:`VISIT_DIRECTIONS`), column ``rows``."""
    sources.check_doc_id(doc_id, archive)  # a typo is an error listing the documents, not an empty result
    rows = bilateral[(bilateral["doc_id"] == doc_id) & bilateral["relation"].isin(VISIT_DIRECTIONS)]
    return rows.groupby(["iso3", "relation"]).size().rename("rows").reset_index()
