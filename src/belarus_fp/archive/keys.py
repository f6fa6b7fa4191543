"""Checks across the tables and fields that a schema cannot express: the keys that join the tables
(ISO3 codes, org_ids, parents, fact subjects, group members), a stage for an achieved agreement, and a
date that agrees with the words of its ``value_text``. Each returns :class:`belarus_fp.errors.Problem` rows.
"""

from __future__ import annotations

import re

import pandas as pd

from ..errors import Problem
from . import countries
from .numbers import MONTHS, parse_date, years_in

#: Relations that are agreements: when achieved, ``bilateral.stage`` says signed or in force.
AGREEMENT_RELATIONS = {
    "visa_free_agreement",
    "visa_waiver_agreement",
    "visa_waiver_official_passports",
    "readmission_agreement",
    "agreement_signed",
}


def table_display(package: dict, name: str) -> str:
    """``data/curated/facts.csv``: how a problem names a table's file."""
    res = next(r for r in package["resources"] if r["name"] == name)
    return f"data/curated/{res['path']}"


def check_keys(frames: dict, package: dict) -> list:
    """Keys that join the tables (ISO3 codes, org_ids, parents, fact subjects) and cross-field rules.

    Checks only the tables in ``frames`` (with the tables they refer to, see ``REFERS_TO``).
    """
    problems = []
    iso3 = countries.known_iso3()
    org_ids = set(frames["organizations"]["org_id"]) if "organizations" in frames else set()
    group_ids = set(frames["groupings"]["group_id"]) if "groupings" in frames else set()

    def check(name, column, allowed, what, optional=False):
        if name not in frames:
            return
        for line, value in frames[name][column].items():
            if (value or not optional) and value not in allowed:
                problems.append(Problem(table_display(package, name), line, column, value, f"unknown {what}"))

    check("bilateral", "iso3", iso3, "ISO3 code (not ISO 3166-1 alpha-3 nor a documented X code)")
    check("multilateral", "org_id", org_ids, "org_id (not in organizations.csv)")
    check("organizations", "parent", org_ids, "parent org_id (not in organizations.csv)", optional=True)
    check("facts", "subject", iso3 | org_ids | group_ids, "subject (neither ISO3, org_id nor group_id)", optional=True)
    check("framing", "subject", iso3 | org_ids, "subject (neither ISO3 nor org_id)")
    if "bilateral" in frames:
        bilateral = frames["bilateral"]
        for line, relation, claim, stage in zip(bilateral.index, bilateral["relation"], bilateral["claim"], bilateral["stage"]):
            needs_stage = relation in AGREEMENT_RELATIONS and claim == "achieved"
            if needs_stage != bool(stage):
                message = "required for an achieved agreement (signed or in_force)" if needs_stage else "only for an achieved agreement"
                problems.append(Problem(table_display(package, "bilateral"), line, "stage", stage, message))
    if "groupings" in frames:
        for line, members in frames["groupings"]["members"].items():
            for code in filter(None, members.split(";")):
                if code not in iso3:
                    problems.append(Problem(table_display(package, "groupings"), line, "members", members, f"unknown ISO3 code {code!r}"))
    if "facts" in frames:
        problems.extend(_check_dates(frames["facts"], table_display(package, "facts")))
    return problems


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
        if row["period"]:
            years = [int(y) for y in re.findall(r"\d+", row["period"])]
            if years != sorted(years):
                problems.append(Problem(display, line, "period", row["period"], "the period ends before it starts"))
    return problems
