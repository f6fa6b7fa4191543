"""Framing, claims by kind, and plans and what followed: the analyses of notebook 05.

- **Framing** (``framing.csv``): how each document qualifies each partner, in the text's own
  words ("strategic partner", "traditional partners", "normalization", ...). Each term has the
  words it stands for in :data:`belarus_fp.archive.vocabulary.TERM_PATTERNS`; the loader refuses a row whose quote lacks them.
- **Claims by kind**: the mix of ``achieved`` / ``planned`` / ``considered`` / ``possible`` /
  ``target`` / ``stated`` rows per document and region. An activity report (the 2013 review) is
  mostly ``achieved``; a standing priorities page is mostly ``stated`` and ``target``. Comparing
  counts across the two without the claim mixes a year's record with a statement of intent.
- **Plans and what followed**: the review's plans, options and negotiations under way, each an
  open question the review leaves, and what the priorities page (c. 2016) says about the same
  partner. Matching is by partner (ISO3 or ``org_id``) and by the relation that would close the
  question (:data:`OUTCOMES`); nothing is matched by keywords.
"""

from __future__ import annotations

import pandas as pd

from ..archive import countries, proofs, sources, vocabulary
from ..archive.texts import priorities, review_2013
from . import needs_tables, trade

#: Every ``framing.term``, in display order (closest ties first), with a short label (:mod:`belarus_fp.archive.vocabulary`).
TERM_LABELS = vocabulary.LABELS["term"]
TERM_ORDER = tuple(TERM_LABELS)

#: ``claim`` values in display order: done, then intentions, then standing descriptions.
CLAIM_ORDER = vocabulary.values("claim")
CLAIM_LABELS = vocabulary.LABELS["claim"]
#: Claims that leave a question open in the review: done later, or not?
OPEN_CLAIMS = ("planned", "considered", "possible")
#: Relations / engagements reported as under way (claim achieved): their outcome is open too.
UNDER_WAY = ("accession_negotiation", "agreement_negotiation", "free_trade_negotiation")
#: What would close an open item: the relation or engagement a later text would report as done.
#: Only pairs that cannot match a different matter: an ``agreement_negotiation`` has no entry, since
#: an organisation's ``agreement`` row may be another treaty (the CIS services treaty of the review
#: is not the CIS Free Trade Area Treaty of the priorities page).
OUTCOMES = {
    "embassy_planned": ("embassy_opened",),
    "embassy_considered": ("embassy_opened", "embassy_planned"),
    "accession_roadmap": ("member", "implied_member"),
    "accession_negotiation": ("member", "implied_member"),
    "agreement_negotiation": (),
    "free_trade_negotiation": ("agreement_signed",),
    "agreement_signed": ("agreement_signed",),
    "joint_production": ("joint_production",),
    "economic_cooperation": ("economic_cooperation", "joint_production"),
    "financing": ("financing",),
    "dialogue": ("dialogue",),
}
#: Status of an open item on the later page, in display order.
FOLLOW_UP_STATUS = (
    "outcome reported",
    "partner named, no outcome row",
    "partner not named",
)
#: Region label of rows about an organisation, or about no single country.
ORGANISATIONS = "international organisations"
NOT_COUNTRY = "no single country or organisation"


@needs_tables
def check_terms(framing: pd.DataFrame) -> pd.DataFrame:
    """The framing rows whose quote lacks the words of their term (empty when all is well).

    The check the loader runs on every load (:func:`belarus_fp.archive.proofs.quote_has_term`), for a frame of your own.

    Raises:
        KeyError: if a term has no entry in :data:`belarus_fp.archive.vocabulary.TERM_PATTERNS`.
    """
    missing = sorted(set(framing["term"]) - set(vocabulary.TERM_PATTERNS))
    if missing:
        raise KeyError(f"framing: term(s) {missing} have no entry in belarus_fp.archive.vocabulary.TERM_PATTERNS")
    return framing[[not proofs.quote_has_term(q, t) for t, q in zip(framing["term"], framing["quote"], strict=True)]]


@needs_tables
def partner_name(code: str, organizations: pd.DataFrame | None = None, archive=None) -> str:
    """A partner's name for a table or a sentence.

    A country's name, an organisation's name from ``organizations`` (:func:`belarus_fp.analysis.trade.subject_label`),
    else the code itself (an organisation by its acronym, "EU", "OSCE", where no table is given). A historical state
    is named by ``archive``'s name table (default: the clone's).
    """
    try:
        return trade.subject_label(code, organizations=organizations, archive=archive)
    except KeyError:
        return code


def region(code: str, archive=None) -> str:
    """The region (foreign-policy vector label) of an ISO3 code; organisations and others get a bucket.

    A historical state's region is the one ``archive``'s name table gives it (default: the clone's).
    """
    if not code:
        return NOT_COUNTRY
    if code in countries.known_iso3(archive):
        return countries.VECTOR_LABELS[countries.vector(code, archive)]
    return ORGANISATIONS


@needs_tables
def term_matrix(framing: pd.DataFrame, archive=None) -> pd.DataFrame:
    """Partner x term: the sum of :func:`belarus_fp.archive.sources.doc_bits` of the documents that use the term for the partner.

    Rows are ordered by region (the order of ``countries.VECTORS``, organisations last), then by
    the number of terms, then by name; columns follow :data:`TERM_ORDER` (unused terms dropped).
    """
    bits = framing.assign(bit=framing["doc_id"].map(sources.doc_bits(docs=framing["doc_id"], archive=archive))).drop_duplicates(
        ["subject", "term", "doc_id"]
    )
    grid = bits.pivot_table(index="subject", columns="term", values="bit", aggfunc="sum", fill_value=0)
    grid = grid.reindex(columns=[t for t in TERM_ORDER if t in grid.columns])
    order = [*countries.VECTOR_LABELS.values(), ORGANISATIONS]
    keys = pd.DataFrame(
        {
            "region": [order.index(region(s, archive)) for s in grid.index],
            "terms": -(grid > 0).sum(axis=1).to_numpy(),
            "name": [partner_name(s, archive=archive) for s in grid.index],
        },
        index=grid.index,
    )
    return grid.loc[keys.sort_values(["region", "terms", "name"]).index].astype(int)


@needs_tables
def framing_long(framing: pd.DataFrame, organizations: pd.DataFrame | None = None, docs=None, archive=None) -> pd.DataFrame:
    """One row per (partner, term): the quote of each of ``docs`` that uses it, in columns ``quote_<doc_id>``.

    ``docs`` defaults to the documents of the rows; the quote is "" where a document does not use the term.
    """
    rows = []
    docs = sources.in_manifest_order(framing["doc_id"] if docs is None else docs, archive=archive)
    for (subject, term), group in framing.groupby(["subject", "term"], sort=False):
        quotes = {d: " / ".join(dict.fromkeys(group.loc[group["doc_id"] == d, "quote"])) for d in docs}
        rows.append(
            {
                "partner": partner_name(subject, organizations, archive=archive),
                "subject": subject,
                "region": region(subject, archive),
                "term": term,
                "label": TERM_LABELS[term],
                **{f"quote_{d}": q for d, q in quotes.items()},
            }
        )
    out = pd.DataFrame(rows)
    out["_t"] = out["term"].map(TERM_ORDER.index)
    return out.sort_values(["_t", "region", "partner"]).drop(columns="_t").reset_index(drop=True)


@needs_tables
def claims_by_kind(facts: pd.DataFrame, bilateral: pd.DataFrame, multilateral: pd.DataFrame, archive=None) -> pd.DataFrame:
    """Rows per document, table, region and claim (long form).

    ``region`` is the country's vector label for ``bilateral`` rows and for ``facts`` rows whose
    subject is a country; :data:`ORGANISATIONS` for ``multilateral`` rows and facts about an
    organisation or a group; :data:`NOT_COUNTRY` for facts with no subject.
    """
    frames = [
        bilateral.assign(table="bilateral", region=bilateral["iso3"].map(lambda code: region(code, archive))),
        multilateral.assign(table="multilateral", region=ORGANISATIONS),
        facts.assign(table="facts", region=facts["subject"].map(lambda code: region(code, archive))),
    ]
    rows = pd.concat([f[["doc_id", "table", "region", "claim"]] for f in frames], ignore_index=True)
    unknown = sorted(set(rows["claim"]) - set(CLAIM_ORDER))
    if unknown:
        raise ValueError(f"claim value(s) {unknown} not in CLAIM_ORDER")
    return rows.groupby(["doc_id", "table", "region", "claim"]).size().rename("rows").reset_index()


def claim_mix(counts: pd.DataFrame, by=("doc_id",)) -> pd.DataFrame:
    """Rows per claim (columns, :data:`CLAIM_ORDER`) for each group of ``by``, with a ``total`` column."""
    grid = counts.pivot_table(index=list(by), columns="claim", values="rows", aggfunc="sum", fill_value=0)
    grid = grid.reindex(columns=list(CLAIM_ORDER), fill_value=0).astype(int)
    grid["total"] = grid.sum(axis=1)
    return grid


def _by_partner(bilateral: pd.DataFrame, multilateral: pd.DataFrame) -> pd.DataFrame:
    """Both tables in one frame: ``subject`` (ISO3 or org_id), ``relation`` (relation or engagement), ``table``."""
    bil = bilateral.rename(columns={"iso3": "subject"}).assign(table="bilateral")
    multi = multilateral.rename(columns={"org_id": "subject", "engagement": "relation"}).assign(table="multilateral")
    return pd.concat([bil, multi], ignore_index=True)


@needs_tables
def open_items(bilateral: pd.DataFrame, multilateral: pd.DataFrame, doc_id: str = review_2013.DOC_ID, archive=None) -> pd.DataFrame:
    """The review's open questions: plans, options and opportunities, and negotiations reported as under way.

    The first are the claims of :data:`OPEN_CLAIMS`; the second, :data:`UNDER_WAY` with claim ``achieved``.

    One row per (partner, relation, claim), the first quote kept; ``kind`` says which of the two.
    """
    sources.check_doc_id(doc_id, archive)  # a typo is an error listing the documents, not an empty result
    rows = _by_partner(bilateral, multilateral)
    rows = rows[rows["doc_id"] == doc_id]
    plans = rows["claim"].isin(OPEN_CLAIMS)
    under_way = rows["relation"].isin(UNDER_WAY) & (rows["claim"] == "achieved")
    out = rows[plans | under_way].assign(kind=lambda f: f["claim"].where(f["claim"].isin(OPEN_CLAIMS), "under way"))
    out = out.drop_duplicates(["subject", "relation", "claim"])
    return out[["table", "subject", "relation", "claim", "kind", "year", "quote"]].reset_index(drop=True)


def distinct_quotes(quotes) -> list[str]:
    """The quotes in order, without repeats and without a quote that contains another of them.

    A list's long sentence and the clause of it that a framing row quotes say the same.
    """
    unique = list(dict.fromkeys(quotes))
    return [q for q in unique if not any(o != q and o in q for o in unique)]


@needs_tables
def follow_up(
    items: pd.DataFrame, bilateral: pd.DataFrame, multilateral: pd.DataFrame, framing: pd.DataFrame, later: str = priorities.DOC_ID
) -> pd.DataFrame:
    """For each open item, what the later document says about the same partner.

    ``status`` is the first of :data:`FOLLOW_UP_STATUS` that holds: a row of the later document
    on the same partner whose relation is in ``OUTCOMES[relation]`` with claim ``achieved`` or
    ``stated`` ("outcome reported"); any row on the partner in ``bilateral``, ``multilateral`` or
    ``framing`` ("partner named"); none. ``later_quotes`` are the quotes of the deciding rows
    (rows reporting something done first, then by :data:`CLAIM_ORDER`),
    ``later_relations`` their relations (framing rows as ``framing: TERM``). A "partner named"
    item is for the reader to judge from the quotes: the status says only that no row of an
    outcome kind exists.

    Raises:
        KeyError: if an item's relation has no entry in :data:`OUTCOMES`.
    """
    missing = sorted(set(items["relation"]) - set(OUTCOMES))
    if missing:
        raise KeyError(f"open item relation(s) {missing} have no entry in belarus_fp.analysis.framing.OUTCOMES")
    framed = framing.assign(relation="framing: " + framing["term"], claim="stated")
    later_rows = pd.concat([_by_partner(bilateral, multilateral), framed], ignore_index=True)
    later_rows = later_rows[later_rows["doc_id"] == later]
    statuses, quotes, relations = [], [], []
    for item in items.itertuples():
        about = later_rows[later_rows["subject"] == item.subject]
        about = about.iloc[about["claim"].map(CLAIM_ORDER.index).argsort(kind="stable")]  # what was done first
        done = about[about["relation"].isin(OUTCOMES[item.relation]) & about["claim"].isin(["achieved", "stated"])]
        deciding = done if len(done) else about
        statuses.append(FOLLOW_UP_STATUS[0] if len(done) else FOLLOW_UP_STATUS[1] if len(about) else FOLLOW_UP_STATUS[2])
        quotes.append(distinct_quotes(deciding["quote"]))
        relations.append(", ".join(dict.fromkeys(deciding["relation"])))
    return items.assign(status=statuses, later_relations=relations, later_quotes=quotes)
