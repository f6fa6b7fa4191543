"""Validation of the curated tables: pandera models built from ``datapackage.json``, plus the
checks a schema cannot express (keys across tables, quotes against the documents).

Every check returns :class:`belarus_fp.tables.Problem` rows naming file, line, column and value.
"""

from __future__ import annotations

import re

import pandas as pd

from . import countries, sources

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "twice": 2, "once": 1, "half": 0.5,
}
DTYPES = {"string": str, "number": "Float64", "integer": "Int64"}
NO_VALUE_UNITS = {"date", "period"}
#: Relations that are agreements: when achieved, ``bilateral.stage`` says signed or in force.
AGREEMENT_RELATIONS = {"visa_free_agreement", "visa_waiver_agreement", "visa_waiver_official_passports", "readmission_agreement", "agreement_signed"}


def _problem(*args):
    from .tables import Problem

    return Problem(*args)


def read_number(text: str) -> float | None:
    """The number a ``value_text`` states: "39.7", "426 140", "2,160", "20th", "eight", "$1.5"; else None."""
    cleaned = sources.normalize(text).lower().strip("$€ ")
    cleaned = re.sub(r"(?<=\d)[ ,](?=\d{3}\b)", "", cleaned)
    cleaned = re.sub(r"(?<=\d)(st|nd|rd|th)$", "", cleaned)
    cleaned = cleaned.rstrip("%").strip()
    try:
        return float(cleaned)
    except ValueError:
        pass
    parts = cleaned.split("-")  # "twenty-six"
    if all(part in NUMBER_WORDS for part in parts):
        return sum(NUMBER_WORDS[part] for part in parts)
    return None


def pandera_schema(res: dict):
    """The pandera model of one table, from its Table Schema (types, required, enum, pattern, keys)."""
    import pandera.pandas as pa

    columns = {}
    for field in res["schema"]["fields"]:
        cons = field.get("constraints", {})
        checks = []
        if cons.get("required") and field["type"] == "string":
            checks.append(pa.Check.str_length(min_value=1, error="required: must not be empty"))
        if "enum" in cons:
            allowed = cons["enum"] + ([] if cons.get("required") else [""])
            shown = cons["enum"] if len(cons["enum"]) <= 8 else f"{len(cons['enum'])} values listed in datapackage.json"
            checks.append(pa.Check.isin(allowed, error=f"not in the vocabulary ({shown})"))
        if "pattern" in cons:
            pattern = f"^(?:{cons['pattern']})$" if cons.get("required") else f"^(?:{cons['pattern']})?$"
            checks.append(pa.Check.str_matches(pattern, error=f"does not match {cons['pattern']}"))
        if "minimum" in cons:
            checks.append(pa.Check.ge(cons["minimum"], error=f"below the minimum {cons['minimum']}"))
        columns[field["name"]] = pa.Column(
            DTYPES[field["type"]],
            checks=checks,
            nullable=not cons.get("required", False) or field["type"] == "string",
            unique=bool(cons.get("unique")),
            report_duplicates="exclude_first",
        )
    key = res["schema"].get("primaryKey")
    key = [key] if isinstance(key, str) else key
    return pa.DataFrameSchema(
        columns,
        strict=True,
        unique=key if key and len(key) > 1 else None,
        report_duplicates="exclude_first",
        name=res["name"],
    )


def validate(res: dict, header: list[str], rows: list[tuple[int, dict]], display: str) -> pd.DataFrame:
    """Type and validate one table's rows; the index of the result is the CSV line number."""
    from .tables import TableError

    fields = res["schema"]["fields"]
    names = [f["name"] for f in fields]
    problems = [_problem(display, 1, col, "", "required column is missing") for col in names if col not in header]
    problems += [_problem(display, 1, col, "", "column not described in datapackage.json") for col in header if col not in names]
    if problems:
        raise TableError(problems)
    frame = pd.DataFrame([row for _, row in rows], columns=names, dtype=str)
    frame.index = pd.Index([line for line, _ in rows], name="line")
    for field in fields:
        if field["type"] in ("number", "integer"):
            col = field["name"]
            converted = pd.to_numeric(frame[col].replace("", None), errors="coerce")
            bad = converted.isna() & (frame[col] != "")
            if field["type"] == "integer":
                bad |= converted.notna() & (converted % 1 != 0)
            problems += [_problem(display, line, col, frame.at[line, col], f"not an {field['type']}" if field["type"] == "integer" else "not a number") for line in frame.index[bad]]
            if field.get("constraints", {}).get("required"):
                problems += [_problem(display, line, col, "", "required: must not be empty") for line in frame.index[frame[col] == ""]]
            frame[col] = converted.astype(DTYPES[field["type"]])
    if problems:
        raise TableError(problems)
    import pandera.errors

    try:
        return pandera_schema(res).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        raise TableError(_pandera_problems(exc.failure_cases, frame, display, res)) from None


def _pandera_problems(cases: pd.DataFrame, frame: pd.DataFrame, display: str, res: dict) -> list:
    key = res["schema"].get("primaryKey")
    key = [key] if isinstance(key, str) else key or []
    problems = {}
    for case in cases.itertuples():
        line = int(case.index) if pd.notna(case.index) else 0
        check = str(case.check)
        if check.startswith("multiple_fields_uniqueness"):  # one problem per row, not per key column
            column = "+".join(key)
            value = " | ".join(str(frame.at[line, k]) for k in key)
            message = f"duplicate of an earlier row (unique key {column})"
        else:
            column = case.column if isinstance(case.column, str) and case.column in frame else "(row)"
            value = str(frame.at[line, column]) if column in frame and line in frame.index else str(case.failure_case)
            unique = check.startswith("field_uniqueness") or check == "column_uniqueness"
            message = f"duplicate of an earlier row (unique column {column})" if unique else check
        problems[(line, column, message)] = _problem(display, line, column, value, message)
    return sorted(problems.values(), key=lambda p: (p.line, p.column))


def _display(package: dict, name: str) -> str:
    res = next(r for r in package["resources"] if r["name"] == name)
    return f"data/curated/{res['path']}"


def check_keys(frames: dict, package: dict) -> list:
    """Keys that join the tables (ISO3 codes, org_ids, parents, fact subjects) and cross-field rules."""
    problems = []
    iso3 = countries.known_iso3()
    org_ids = set(frames["organizations"]["org_id"])
    group_ids = set(frames["groupings"]["group_id"])

    def check(name, column, allowed, what, optional=False):
        frame = frames[name]
        for line, value in frame[column].items():
            if (value or not optional) and value not in allowed:
                problems.append(_problem(_display(package, name), line, column, value, f"unknown {what}"))

    check("bilateral", "iso3", iso3, "ISO3 code (not ISO 3166-1 alpha-3 nor a documented X code)")
    check("multilateral", "org_id", org_ids, "org_id (not in organizations.csv)")
    check("organizations", "parent", org_ids, "parent org_id (not in organizations.csv)", optional=True)
    check("facts", "subject", iso3 | org_ids | group_ids, "subject (neither ISO3, org_id nor group_id)", optional=True)
    check("framing", "subject", iso3 | org_ids, "subject (neither ISO3 nor org_id)")
    bilateral = frames["bilateral"]
    for line, row in bilateral.iterrows():
        needs_stage = row["relation"] in AGREEMENT_RELATIONS and row["claim"] == "achieved"
        if needs_stage != bool(row["stage"]):
            message = "required for an achieved agreement (signed or in_force)" if needs_stage else "only for an achieved agreement"
            problems.append(_problem(_display(package, "bilateral"), line, "stage", row["stage"], message))
    for line, members in frames["groupings"]["members"].items():
        for code in filter(None, members.split(";")):
            if code not in iso3:
                problems.append(_problem(_display(package, "groupings"), line, "members", members, f"unknown ISO3 code {code!r}"))
    return problems


def check_against_documents(frames: dict, package: dict, raw_dir) -> list:
    """Every quote is in its document; the number / name a row rests on is in its quote."""
    problems = []
    texts = {}
    for doc_id in sources.doc_ids(raw_dir):
        texts[doc_id] = " ".join(sources.paragraphs(doc_id, raw_dir))
    for name, frame in frames.items():
        display = _display(package, name)
        for line, row in frame.iterrows():
            quote = sources.normalize(row["quote"])
            if row["doc_id"] not in texts:
                problems.append(_problem(display, line, "doc_id", row["doc_id"], f"unknown doc_id; known: {sorted(texts)}"))
                continue
            if quote not in texts[row["doc_id"]]:
                closest = sources.closest_passage(quote, texts[row["doc_id"]]) if quote else ""
                problems.append(_problem(display, line, "quote", row["quote"], f"not in document {row['doc_id']!r}; closest passage: {closest!r}"))
                continue
            if "name_in_text" in row and sources.normalize(row["name_in_text"]) not in quote:
                problems.append(_problem(display, line, "name_in_text", row["name_in_text"], "not in the quote"))
        if name == "facts":
            problems.extend(_check_fact_numbers(frame, display))
    problems.extend(_check_sections(frames["sections"], _display(package, "sections"), raw_dir))
    return problems


def _check_fact_numbers(frame: pd.DataFrame, display: str) -> list:
    problems = []
    for line, row in frame.iterrows():
        text = row["value_text"]
        if sources.normalize(text) not in sources.normalize(row["quote"]):
            problems.append(_problem(display, line, "value_text", text, "the number is not in the quote"))
            continue
        if row["unit"] in NO_VALUE_UNITS:
            if pd.notna(row["value"]):
                problems.append(_problem(display, line, "value", str(row["value"]), f"must be empty for unit {row['unit']!r} (the date goes in 'date')"))
            if not row["date"]:
                problems.append(_problem(display, line, "date", "", f"required for unit {row['unit']!r}"))
            continue
        if pd.isna(row["value"]):
            problems.append(_problem(display, line, "value", "", f"required for unit {row['unit']!r}"))
            continue
        stated = read_number(text)
        if stated is None:
            problems.append(_problem(display, line, "value_text", text, "cannot read a number from it"))
        elif abs(stated - row["value"]) > 1e-9:
            problems.append(_problem(display, line, "value", str(row["value"]), f"differs from the number in value_text {text!r}"))
    return problems


def _check_sections(frame: pd.DataFrame, display: str, raw_dir) -> list:
    problems = []
    for doc_id, group in frame.groupby("doc_id", sort=False):
        expected = 1
        for line, row in group.sort_values("first_paragraph").iterrows():
            if row["first_paragraph"] != expected:
                problems.append(_problem(display, line, "first_paragraph", str(row["first_paragraph"]), f"sections must tile {doc_id!r}: expected {expected}"))
            if row["last_paragraph"] < row["first_paragraph"]:
                problems.append(_problem(display, line, "last_paragraph", str(row["last_paragraph"]), "before first_paragraph"))
            try:
                where = sources.locate(row["quote"], doc_id, raw_dir)
            except sources.SourceError:
                where = None  # reported by the quote check
            if where and where.paragraph != row["first_paragraph"]:
                problems.append(_problem(display, line, "quote", row["quote"], f"is in paragraph {where.paragraph}, not the section's first"))
            expected = int(row["last_paragraph"]) + 1
        count = len(sources.paragraphs(doc_id, raw_dir))
        if expected != count + 1:
            problems.append(_problem(display, int(group.index.max()), "last_paragraph", str(expected - 1), f"sections of {doc_id!r} must end at its last paragraph {count}"))
    return problems
