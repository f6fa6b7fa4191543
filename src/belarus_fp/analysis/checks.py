"""Consistency checks across the curated tables: where a text states both the parts and the whole.

Each check returns what the text states, what the parts compute to, and whether they agree.
A check that does not hold is a finding about the document (reported in the README and the
notebooks), never a reason to change the data.
"""

from __future__ import annotations

import pandas as pd

from ..archive.facts import get, value
from ..archive.tables import load_all
from ..archive.texts import review_2013
from . import needs_tables
from .footprint import share_of_un, un_share_check


@needs_tables
def check_sum(facts: pd.DataFrame, parts, total: str) -> dict:
    """Check that the stated parts add up to the stated total.

    Returns:
        A finding: ``check``, ``left`` (sum of parts), ``right`` (total) and ``result``:
        ``holds``, ``does not hold``, or ``undetermined`` when a number is not exact.
    """
    values = [value(facts, p) for p in parts]
    whole = value(facts, total)
    left = sum(v for v, _ in values)
    exact = all(q == "exact" for _, q in values) and whole[1] == "exact"
    result = ("holds" if left == whole[0] else "does not hold") if exact else "undetermined"
    return {"check": f"{' + '.join(parts)} = {total}", "left": left, "right": whole[0], "result": result}


@needs_tables
def treaty_checks(facts: pd.DataFrame) -> pd.DataFrame:
    """Notebook 03: the 2013 review's treaty-base numbers (:data:`belarus_fp.archive.texts.review_2013.TREATY_FACTS`)
    checked against each other (and the treaty partners against the countries with diplomatic relations), one row per check."""
    t = review_2013.TREATY_FACTS
    return pd.DataFrame(
        [
            check_sum(facts, [t["bilateral_concluded"], t["multilateral_concluded"]], t["concluded"]),
            check_at_most(facts, t["bilateral_concluded"], t["bilateral_stock"]),
            check_at_most(facts, t["multilateral_concluded"], t["multilateral_stock"]),
            check_at_most(facts, t["asia_signed"], t["bilateral_concluded"]),
            check_at_most(
                facts, t["partner_countries"], review_2013.UN_SHARE_FACTS["count"]
            ),  # treaty partners among the countries with relations
        ]
    )


@needs_tables
def treaty_values(facts: pd.DataFrame) -> dict:
    """Role of :data:`belarus_fp.archive.texts.review_2013.TREATY_FACTS` -> the stated value (:func:`belarus_fp.archive.facts.value`)."""
    return {role: value(facts, fact_id)[0] for role, fact_id in review_2013.TREATY_FACTS.items()}


@needs_tables
def check_at_most(facts: pd.DataFrame, part: str, whole: str) -> dict:
    """Check that a stated part does not exceed the stated whole it belongs to.

    A part stated as a lower bound can still be shown to fail (its bound already exceeds an
    exact whole); otherwise a qualified number makes the check ``undetermined``.
    """
    (p, pq), (w, wq) = value(facts, part), value(facts, whole)
    if pq == "exact" and wq == "exact":
        result = "holds" if p <= w else "does not hold"
    elif pq == "lower_bound" and wq == "exact" and p > w:
        result = "does not hold"
    else:
        result = "undetermined"
    return {"check": f"{part} <= {whole}", "left": p, "right": w, "result": result}


def consistency_checks(data_dir=None, archive=None):
    """A DataFrame, one row per check: check, whole (the stated total or limit), parts (what
    the stated parts compute to), holds, how, strength (what a pass shows, and what it cannot).

    Only checks that could fail on the documents' own numbers are kept: "Russia + USA within the
    implied total" was dropped because the total is Russia's turnover divided by its share, so it
    holds by construction unless Russia's share were above 98 %.
    """
    t = load_all(data_dir, archive=archive)
    facts, bilateral = t["facts"], t["bilateral"]
    rows = []

    agreements = treaty_checks(facts).iloc[0]  # bilateral + multilateral = concluded
    rows.append(
        (
            f"international agreements and other legal documents prepared and concluded in {review_2013.YEAR}: bilateral + multilateral = total",
            agreements["right"],
            agreements["left"],
            agreements["result"] == "holds",
            "sum of the two stated parts",
            "strong: an identity of three stated numbers (they share one sentence)",
        )
    )

    quote = get(facts, review_2013.COMMISSION_MEETINGS_EUROPE)["quote"]
    listed = bilateral[(bilateral["quote"] == quote) & (bilateral["relation"] == "intergovernmental_commission")]
    stated = value(facts, review_2013.COMMISSION_MEETINGS_EUROPE)[0]
    rows.append(
        (
            "intergovernmental commission meetings (review paragraph 46) = countries listed",
            stated,
            float(listed["iso3"].nunique()),
            listed["iso3"].nunique() == stated,
            "countries of bilateral.csv on the same sentence",
            "weak: assumes one meeting per country (the text does not say so); it mainly checks that the "
            "table lists every country of the sentence",
        )
    )

    un = un_share_check(facts).iloc[0]  # on all UN members
    relations, stated_pct, members, computed_pct = un["count"], un["percent"], un["members"], un["share_pct"]
    fits = [n for n in range(members + 1) if round(share_of_un(n, members)) == stated_pct]
    rows.append(
        (
            "diplomatic relations: share of UN members (stated %)",
            stated_pct,
            round(computed_pct, 1),
            bool(un["agrees"]),
            f"{relations:.0f} / {members} UN member states, rounded to a whole percent",
            f"moderate: two stated numbers against an outside count; {stated_pct:.0f} % of {members} fits "
            f"{fits[0]} to {fits[-1]} countries, so a count outside that range would show",
        )
    )
    return pd.DataFrame(rows, columns=["check", "whole", "parts", "holds", "how", "strength"])


def markdown_table(data_dir=None, archive=None) -> str:
    """The checks as a Markdown table (the README carries it; a test keeps the two equal)."""
    rows = ["| check | whole | parts | holds | how | strength |", "| --- | ---: | ---: | --- | --- | --- |"]
    for r in consistency_checks(data_dir, archive=archive).itertuples():
        rows.append(f"| {r.check} | {r.whole:g} | {r.parts:g} | {'yes' if r.holds else '**no**'} | {r.how} | {r.strength} |")
    return "\n".join(rows)
