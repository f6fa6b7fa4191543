"""Checks across the tables and fields that a schema cannot express.

The keys that join the tables (ISO3 codes, org_ids, parents, fact subjects, group members), a stage for an
achieved agreement, and a date that agrees with the words of its ``value_text``. Each returns
:class:`belarus_fp.errors.Problem` rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import pandas as pd

from ..errors import Problem, TableError
from . import countries, name_tables
from .catalogue import COUNTRIES
from .numbers import MONTHS, parse_date, years_in

#: Relations that are agreements: when achieved, ``bilateral.stage`` says signed or in force.
AGREEMENT_RELATIONS = {
    "visa_free_agreement",
    "visa_waiver_agreement",
    "visa_waiver_official_passports",
    "readmission_agreement",
    "agreement_signed",
}


def check_keys(frames: dict, catalogue, archive=None) -> list:
    """The keys that join the tables, and the cross-field rules.

    The keys are the ones datapackage.json's ``foreignKeys`` and ``refersTo`` state (:mod:`belarus_fp.archive.catalogue`).

    Checks only the tables in ``frames``; a reference to a table not in ``frames`` is not checked (the
    loader loads the tables a table refers to with it: ``Catalogue.needed``).
    """
    problems = []
    iso3 = countries.known_iso3(archive)
    for name, frame in frames.items():
        table = catalogue[name]
        for ref in table.references:
            if all(t == COUNTRIES or t in frames for t, _ in ref.targets):
                allowed = set().union(*(iso3 if t == COUNTRIES else set(frames[t][c]) for t, c in ref.targets))
                problems.extend(_check_reference(frame, ref, catalogue, allowed, table.display))
            if [t for t, _ in ref.targets] == [name]:
                problems.extend(_check_tree(frame, ref.column, ref.targets[0][1], table.display))
    if "bilateral" in frames:
        bilateral, display = frames["bilateral"], catalogue["bilateral"].display
        for line, relation, claim, stage in zip(
            bilateral.index, bilateral["relation"], bilateral["claim"], bilateral["stage"], strict=True
        ):
            needs_stage = relation in AGREEMENT_RELATIONS and claim == "achieved"
            if needs_stage != bool(stage):
                message = "required for an achieved agreement (signed or in_force)" if needs_stage else "only for an achieved agreement"
                problems.append(Problem(display, line, "stage", stage, message))
    if "facts" in frames:
        problems.extend(_check_dates(frames["facts"], catalogue["facts"].display))
    for name, frame in frames.items():
        problems.extend(_check_scripts(frame, catalogue[name].display))
    return problems


def _unknown(ref, catalogue) -> str:
    """``unknown org_id (not in organizations.csv)``: the message for a value that is in none of the targets."""
    if [t for t, _ in ref.targets] == [COUNTRIES]:
        return "unknown ISO3 code (not ISO 3166-1 alpha-3 nor a documented X code)"
    if len(ref.targets) == 1:
        table, column = ref.targets[0]
        return f"unknown {column} (not in {catalogue[table].path})"
    whats = ["ISO3" if t == COUNTRIES else c for t, c in ref.targets]
    return f"unknown {ref.column} (neither {', '.join(whats[:-1])} nor {whats[-1]})"


def _check_reference(frame: pd.DataFrame, ref, catalogue, allowed: set, display: str) -> list:
    """Every value of ``ref.column`` (every item, with a separator; empty allowed) is in ``allowed``."""
    problems = []
    for line, value in frame[ref.column].items():
        if not ref.separator:
            if value and value not in allowed:
                problems.append(Problem(display, line, ref.column, value, _unknown(ref, catalogue)))
            continue
        for item in filter(None, value.split(ref.separator)):
            if item not in allowed:
                what = " or ".join("ISO3 code" if t == COUNTRIES else c for t, c in ref.targets)
                problems.append(Problem(display, line, ref.column, value, f"unknown {what} {item!r}"))
    return problems


def _check_tree(frame: pd.DataFrame, column: str, key: str, display: str) -> list:
    """A column referring to its own table's key (an organisation's ``parent``) forms a tree.

    No row is its own parent or its own ancestor.
    """
    parent = dict(zip(frame[key], frame[column], strict=True))
    problems = []
    for line, org, up in zip(frame.index, frame[key], frame[column], strict=True):
        if up == org:
            problems.append(Problem(display, line, column, up, f"the row is its own {column}: {column}s form a tree"))
            continue
        chain, node = [org], up
        while node and node in parent and node not in chain:
            chain.append(node)
            node = parent[node]
        if node == org:
            problems.append(
                Problem(display, line, column, up, f"a cycle of {column}s: {' -> '.join([*chain, org])} ({column}s form a tree)")
            )
    return problems


#: Columns holding names, each written in one script (a Cyrillic "\u0430" inside a Latin name is a typing slip).
NAME_COLUMNS = ("name", "name_in_text", "title", "person")


def scripts(text: str) -> set[str]:
    """The scripts of the letters of ``text`` (LATIN, CYRILLIC, GREEK, ...)."""
    return {unicodedata.name(ch, "UNKNOWN ?").split()[0] for ch in text if ch.isalpha()}


def _check_scripts(frame: pd.DataFrame, display: str) -> list:
    problems = []
    for column in NAME_COLUMNS:
        if column in frame:
            for line, value in frame[column].items():
                if value and not value.isascii() and len(found := scripts(value)) > 1:
                    problems.append(
                        Problem(display, line, column, value, f"mixes scripts ({', '.join(sorted(found))}): retype it in one script")
                    )
    return problems


def named_countries(name_in_text: str, archive=None) -> set[str]:
    """The countries a ``name_in_text`` names, by the mention finder's names of ``archive``'s name tables.

    The names are :func:`belarus_fp.archive.name_tables.country_names`, cached on the contents of the archive's
    ``country_aliases.csv`` and ``demonyms.csv``, so an edited alias is seen in the same process; read as
    :func:`countries_in` reads them.
    """
    try:
        lookup = name_tables.country_names(archive)
    except TableError:
        clashes = name_problems(archive)  # two countries claim one name: the loader's problems, which say where it was first
        if not clashes:
            raise
        raise TableError(clashes) from None
    return countries_in(name_in_text, lookup)


def countries_in(name_in_text: str, lookup: Mapping[str, str]) -> set[str]:
    """The countries ``lookup`` (lookup key -> ISO3) reads in a ``name_in_text``.

    The whole name ("Russian Federation"), else each part of a hyphenated adjective ("Belarusian-Turkish": BLR and
    TUR); empty for implying words ("the two countries").
    """
    whole = lookup.get(name_tables.lookup_key(name_in_text.strip()))
    if whole:
        return {whole}
    parts = (name_tables.lookup_key(part.strip()) for part in re.split(r"[-–]", name_in_text))
    return {lookup[key] for key in parts if key in lookup}


def name_problems(archive=None) -> list:
    """Why ``archive``'s country names cannot be built: a problem per row of a name table whose name names another country.

    The rows are :func:`belarus_fp.archive.name_tables.name_clashes`, each named by file, line, column and value.

    Returns:
        The problems; empty when the names build.

    Raises:
        TableError: a name table is missing, malformed or lacks a column.
        ValueError: the package's own names clash (no row of the archive's tables is to blame).
    """
    return [
        Problem(
            c.file,
            c.line,
            c.column,
            c.surface,
            f"names both {c.first} ({c.first_where}) and {c.iso3}: a name names one country (drop or reword one)",
        )
        for c in name_tables.name_clashes(archive)
    ]


def _check_dates(frame: pd.DataFrame, display: str) -> list:
    """``date`` is a calendar date (or span) whose year and month agree with ``value_text``; ``period``'s years are in order."""
    problems = []
    for line, row in frame.iterrows():
        if row["date"]:
            try:
                parts = parse_date(row["date"])
            except ValueError as exc:
                problems.append(Problem(display, line, "date", row["date"], str(exc)))
                continue
            if row["unit"] == "date" and len(parts) != 1:
                problems.append(Problem(display, line, "date", row["date"], "unit 'date' takes one date, not a span (unit 'period')"))
            stated_years = years_in(row["value_text"])
            years = {p[0] for p in parts}
            if stated_years and not years <= stated_years:
                problems.append(
                    Problem(display, line, "date", row["date"], f"its year is not the one value_text states ({row['value_text']!r})")
                )
            words = re.findall(r"[a-z]+", row["value_text"].lower())
            stated_months = {MONTHS[w] for w in words if w in MONTHS}
            months = {p[1] for p in parts if p[1]}
            if stated_months and months != stated_months:
                problems.append(
                    Problem(display, line, "date", row["date"], f"its month is not the one value_text states ({row['value_text']!r})")
                )
            stated_days = {int(d) for d in re.findall(r"(?<!\d)(?<!\d[.,])\d{1,2}(?!\d|[.,]\d|st|nd|rd|th)", row["value_text"])}
            days = {p[2] for p in parts if p[2]}
            if stated_months and stated_days and days and days != stated_days:
                problems.append(
                    Problem(display, line, "date", row["date"], f"its day is not the one value_text states ({row['value_text']!r})")
                )
        if row["period"]:
            period_years = [int(y) for y in re.findall(r"\d+", row["period"])]
            if period_years != sorted(period_years):
                problems.append(Problem(display, line, "period", row["period"], "the period ends before it starts"))
    return problems
