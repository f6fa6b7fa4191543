"""Consistency checks across the curated tables: where a text states both the parts and the whole.

Each check returns what the text states, what the parts compute to, and whether they agree.
A check that does not hold is a finding about the document (reported in the README and the
notebooks), never a reason to change the data.
"""

from __future__ import annotations

from . import countries
from .tables import load_all


def _fact(facts, fact_id: str) -> float:
    match = facts.loc[facts["fact_id"] == fact_id, "value"]
    if match.empty:
        raise KeyError(f"facts.csv has no fact {fact_id!r} (needed by a consistency check)")
    return float(match.iloc[0])


def consistency_checks(data_dir=None):
    """A DataFrame, one row per check: check, whole (the stated total or limit), parts (what
    the stated parts compute to), holds, how."""
    import pandas as pd

    t = load_all(data_dir)
    facts, bilateral = t["facts"], t["bilateral"]
    rows = []

    total = _fact(facts, "r13-agreements-concluded")
    parts = _fact(facts, "r13-bilateral-agreements-concluded") + _fact(facts, "r13-multilateral-agreements-concluded")
    rows.append(("agreements concluded in 2013: bilateral + multilateral = total", total, parts, parts == total,
                 "sum of the two stated parts"))

    quote = facts.loc[facts["fact_id"] == "r13-europe-intergovernmental-commission-meetings", "quote"].iloc[0]
    listed = bilateral[(bilateral["quote"] == quote) & (bilateral["relation"] == "intergovernmental_commission")]
    stated = _fact(facts, "r13-europe-intergovernmental-commission-meetings")
    rows.append(("intergovernmental commission meetings with European countries = countries listed", stated,
                 float(listed["iso3"].nunique()), listed["iso3"].nunique() == stated,
                 "countries of bilateral.csv on the same sentence"))

    relations = _fact(facts, "r13-diplomatic-relations-countries")
    stated_pct = _fact(facts, "r13-diplomatic-relations-share-of-un-membership")
    computed_pct = 100 * relations / len(countries.un_members())
    rows.append(("diplomatic relations: share of UN members (stated %)", stated_pct, round(computed_pct, 1),
                 round(computed_pct) == stated_pct,
                 f"{relations:.0f} / {len(countries.un_members())} UN member states, rounded to a whole percent"))

    russia = _fact(facts, "r13-russia-trade-turnover")
    share = _fact(facts, "r13-russia-share-of-foreign-trade")
    usa = _fact(facts, "r13-usa-trade-turnover")
    implied_total = russia / (share / 100)
    rows.append(("trade: Russia + USA (lower bound) within the total implied by Russia's share", round(implied_total, 1),
                 russia + usa, russia + usa <= implied_total, "USD bn; the whole is derived: Russia's turnover / its share"))
    return pd.DataFrame(rows, columns=["check", "whole", "parts", "holds", "how"])


def markdown_table(data_dir=None) -> str:
    """The checks as a Markdown table (the README carries it; a test keeps the two equal)."""
    rows = ["| check | whole | parts | holds | how |", "| --- | ---: | ---: | --- | --- |"]
    for r in consistency_checks(data_dir).itertuples():
        rows.append(f"| {r.check} | {r.whole:g} | {r.parts:g} | {'yes' if r.holds else '**no**'} | {r.how} |")
    return "\n".join(rows)
