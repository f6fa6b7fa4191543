"""Fetching facts: the one place a row of ``facts.csv`` is looked up, by ``fact_id`` or by what it measures.

Every lookup returns exactly one row or raises a KeyError that says what was asked and what was
found, so a number is never read from the wrong row or in the wrong unit. (:func:`belarus_fp.cite`
gives a fact's citation; these functions give its row and value.)
"""

from __future__ import annotations

import pandas as pd

from ..errors import did_you_mean


def get(facts: pd.DataFrame, fact_id: str) -> pd.Series:
    """The row of one ``fact_id`` (a Series, ``fact_id`` among its fields); near ids are suggested."""
    rows = facts[facts["fact_id"] == fact_id]
    if len(rows) == 1:
        return rows.iloc[0]
    if len(rows) > 1:
        raise KeyError(f"facts: fact_id {fact_id!r} found {len(rows)} times (it should be unique: is this the curated table?)")
    ids = list(facts["fact_id"])
    near = did_you_mean(fact_id, ids)
    if not near:  # nothing spelled alike: the ids sharing a word with it, else how to list them
        prefixes = {i.split("-", 1)[0] for i in ids}  # the documents' id prefixes say nothing about the fact
        words = {w for w in str(fact_id).lower().replace("_", "-").split("-") if len(w) >= 3} - prefixes
        sharing = [i for i in ids if words & set(i.split("-")[1:])][:5]
        near = f"; ids sharing a word with it: {sharing}" if sharing else ""
    raise KeyError(f"facts: no fact_id {fact_id!r} among the {len(ids)} facts (all of them: facts['fact_id']){near}")


def value(facts: pd.DataFrame, fact_id: str) -> tuple[float, str]:
    """The value and qualifier of one fact; a fact without a value (a date, a period) is a ValueError."""
    row = get(facts, fact_id)
    if pd.isna(row["value"]):
        raise ValueError(f"facts: {fact_id!r} has no value (unit {row['unit']!r})")
    return float(row["value"]), row["qualifier"]


def find(facts: pd.DataFrame, metric: str, subject: str, unit: str, doc_id: str | None = None, archive=None) -> pd.Series:
    """The one fact with this metric, subject and unit (and document, if given).

    Args:
        facts: the curated ``facts`` table.
        metric: ``facts.metric``.
        subject: ``facts.subject`` (ISO3, org_id, group_id, or ``""`` for Belarus as a whole).
        unit: ``facts.unit``; checked so that a number is never read in the wrong unit.
        doc_id: restrict to one document (checked against ``archive``'s manifest: a typo lists the known ids).
        archive: the archive whose manifest ``doc_id`` is checked against (default: the clone's); the rows
            themselves are ``facts``'s, whatever archive they came from.

    Returns:
        The row (a Series, ``fact_id`` among its fields).

    Raises:
        KeyError: if no row or more than one row matches.
        SourceError: ``doc_id`` is not in the archive's manifest.
    """
    mask = (facts["metric"] == metric) & (facts["subject"] == subject) & (facts["unit"] == unit)
    if doc_id is not None:
        from . import sources

        sources.check_doc_id(doc_id, archive)  # a typo is an error listing the documents, not "found 0"
        mask &= facts["doc_id"] == doc_id
    rows = facts[mask]
    if len(rows) != 1:
        found = sorted(rows["fact_id"]) if "fact_id" in rows else list(rows.index)
        raise KeyError(f"facts: metric={metric!r} subject={subject!r} unit={unit!r}: expected one row, found {len(rows)} {found}")
    return rows.iloc[0]
