"""Validation of the curated tables: pandera models built from ``datapackage.json``, plus the
checks a schema cannot express (keys across tables, quotes against the documents).

Every check returns :class:`belarus_fp.errors.Problem` rows naming file, line, column and value.
"""

from __future__ import annotations

import calendar
import datetime
import re

import pandas as pd

from ..errors import SHOWN, Problem, TableError
from . import countries, sources, vocabulary

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "twice": 2,
    "once": 1,
    "half": 0.5,
}
DTYPES = {"string": str, "number": "Float64", "integer": "Int64"}
#: How a number or an integer must be written: digits, an optional sign and decimal point.
#: "1.00E+02", "1,000", "2013.0", "02013", "nan" or "inf" is refused, never converted.
NUMBER_TEXT = {"number": re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?"), "integer": re.compile(r"-?(?:0|[1-9]\d*)")}
#: A quote must be at least this long (normalised) and occur exactly once in its document.
MIN_QUOTE_WORDS = 3
MIN_QUOTE_CHARS = 25
#: Tables whose keys another table's rows refer to; loading a table validates these too.
REFERS_TO = {"facts": ("organizations", "groupings"), "multilateral": ("organizations",), "framing": ("organizations",)}
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
NO_VALUE_UNITS = {"date", "period"}
#: Relations that are agreements: when achieved, ``bilateral.stage`` says signed or in force.
AGREEMENT_RELATIONS = {
    "visa_free_agreement",
    "visa_waiver_agreement",
    "visa_waiver_official_passports",
    "readmission_agreement",
    "agreement_signed",
}


def needed_tables(name: str) -> frozenset:
    """The table and the tables its keys refer to: what loading it must validate."""
    return frozenset((name, *REFERS_TO.get(name, ())))


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
            # A string column is built as str by validate() itself, so pandera's element-wise check of its
            # dtype could never fail; it was two fifths of the validation time. Numbers are checked.
            None if field["type"] == "string" else DTYPES[field["type"]],
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
    fields = res["schema"]["fields"]
    names = [f["name"] for f in fields]
    problems = [Problem(display, 1, col, "", "required column is missing") for col in names if col not in header]
    problems += [Problem(display, 1, col, "", "column not described in datapackage.json") for col in header if col not in names]
    if problems:
        raise TableError(problems)
    frame = pd.DataFrame([row for _, row in rows], columns=names, dtype=str)
    frame.index = pd.Index([line for line, _ in rows], name="line")
    for field in fields:
        if field["type"] in ("number", "integer"):
            col = field["name"]
            written = frame[col]
            bad = (written != "") & ~written.str.fullmatch(NUMBER_TEXT[field["type"]].pattern)
            problems += [
                Problem(display, line, col, written[line], _number_message(field["type"], written[line])) for line in frame.index[bad]
            ]
            converted = pd.to_numeric(written.where(~bad & (written != ""), None), errors="coerce")
            if field.get("constraints", {}).get("required"):
                problems += [Problem(display, line, col, "", "required: must not be empty") for line in frame.index[frame[col] == ""]]
            frame[col] = converted.astype(DTYPES[field["type"]])
    if problems:
        raise TableError(problems)
    import pandera.errors

    try:
        return pandera_schema(res).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        raise TableError(_pandera_problems(exc.failure_cases, frame, display, res)) from None


def _number_message(kind: str, text: str) -> str:
    what = "an integer (digits only)" if kind == "integer" else "a number (digits and an optional decimal point)"
    if re.fullmatch(r"-?[\d.]+[eE][-+]?\d+", text):
        return f"not {what}: scientific notation, as a spreadsheet writes it; type the number as the document states it"
    if re.fullmatch(r"-?0\d+(?:\.\d+)?", text):
        return f"not {what}: a leading zero"
    return f"not {what}"


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
        problems[(line, column, message)] = Problem(display, line, column, value, message)
    return sorted(problems.values(), key=lambda p: (p.line, p.column))


def _display(package: dict, name: str) -> str:
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
                problems.append(Problem(_display(package, name), line, column, value, f"unknown {what}"))

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
                problems.append(Problem(_display(package, "bilateral"), line, "stage", stage, message))
    if "groupings" in frames:
        for line, members in frames["groupings"]["members"].items():
            for code in filter(None, members.split(";")):
                if code not in iso3:
                    problems.append(Problem(_display(package, "groupings"), line, "members", members, f"unknown ISO3 code {code!r}"))
    if "facts" in frames:
        problems.extend(_check_dates(frames["facts"], _display(package, "facts")))
    return problems


def parse_date(text: str) -> list[tuple[int, int | None, int | None]]:
    """The (year, month, day) parts of an ISO 8601 date ``2013``, ``2013-05``, ``2013-05-13`` or a
    span ``start/end`` of two such dates; raises ValueError saying what is wrong."""
    parts = []
    for piece in text.split("/"):
        match = _ISO_DATE.fullmatch(piece)
        if not match:
            raise ValueError("not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD, or start/end)")
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            datetime.date(year, month or 1, day or 1)
        except ValueError as exc:
            raise ValueError(f"not a calendar date ({exc})") from None
        parts.append((year, month, day))
    if len(parts) > 2:
        raise ValueError("a span has one '/', between its start and end")
    if len(parts) == 2 and parts[1] < parts[0]:
        raise ValueError("the span ends before it starts")
    return parts


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


def years_in(text: str) -> set[int]:
    """The years (1800-2099) a text writes."""
    return {int(y) for y in _YEAR.findall(text)}


def document_years(doc_id: str, raw_dir) -> set[int]:
    """The years a document can speak of: those it writes and its reporting period's."""
    text = " ".join(sources.paragraphs(doc_id, raw_dir))
    return years_in(text) | years_in(sources.document_info(doc_id, raw_dir).get("period_covered", ""))


def _row_years(name: str, row) -> list[tuple[str, str, list[int]]]:
    """(column, cell, years) for every cell of a row that holds years."""
    out = []
    if "year" in row and pd.notna(row["year"]):
        out.append(("year", str(row["year"]), [int(row["year"])]))
    for column in ("period", "date"):
        if row.get(column):
            out.append((column, row[column], [int(y) for y in re.findall(r"(?<!\d)\d{4,}(?!\d)", row[column])]))
    return out


def quoteProblem(quote: str, text: str) -> str | None:
    """What disqualifies a (normalised) quote as proof in a document's (normalised) text, if anything.

    The rule (``data/curated/README.md``): at least ``MIN_QUOTE_WORDS`` words and
    ``MIN_QUOTE_CHARS`` characters, and exactly one occurrence in the document.
    """
    if len(quote.split()) < MIN_QUOTE_WORDS or len(quote) < MIN_QUOTE_CHARS:
        return f"too short to prove a row: a quote needs at least {MIN_QUOTE_WORDS} words and {MIN_QUOTE_CHARS} characters"
    count = text.count(quote)
    if count > 1:
        return f"occurs {count} times in the document: extend it until it names one place"
    return None


_TYPOGRAPHY = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"', "\u2013": "-", "\u2014": "-"}
)


def quote_has_term(quote: str, term: str) -> bool:
    """A framing row's quote has the words of its term (:data:`belarus_fp.archive.vocabulary.TERM_PATTERNS`, any case)."""
    return re.search(vocabulary.TERM_PATTERNS[term], quote, flags=re.IGNORECASE) is not None


def check_against_documents(frames: dict, package: dict, raw_dir) -> list:
    """Every quote is in its document, long enough and in one place; the number / name / framing term
    a row rests on is in its quote; every year is one the document can speak of.

    The closest passage (slow: ~20 ms) is computed for the first quotes not found only; the rest
    are reported without it, so 10,000 bad quotes are reported in seconds.
    """
    problems = []
    texts, years, folded = {}, {}, {}
    # A table whose quote is optional (speakers: empty where the row rests on the corpus's record) has
    # nothing to prove against its document in a row without one.
    optional = {
        res["name"]
        for res in package["resources"]
        for field in res["schema"]["fields"]
        if field["name"] == "quote" and not field.get("constraints", {}).get("required")
    }
    cited = {
        doc_id
        for name, frame in frames.items()
        if "doc_id" in frame.columns
        for doc_id, quote in zip(frame["doc_id"], frame["quote"])
        if quote or name not in optional
    }
    known = sources.doc_ids(raw_dir)
    for doc_id in [d for d in known if d in cited]:  # the documents the rows cite, not the whole archive
        texts[doc_id] = " ".join(sources.paragraphs(doc_id, raw_dir))
        years[doc_id] = document_years(doc_id, raw_dir)
    closest_left = SHOWN
    for name, frame in frames.items():
        display = _display(package, name)
        for line, row in zip(frame.index, frame.to_dict("records")):
            doc_id = row["doc_id"]
            if name in optional and not row["quote"]:
                continue
            if doc_id not in texts:
                problems.append(Problem(display, line, "doc_id", doc_id, f"unknown doc_id; known: {known}"))
                continue
            for column, cell, cell_years in _row_years(name, row):
                wrong = [y for y in cell_years if y not in years[doc_id]]
                if wrong:
                    problems.append(
                        Problem(
                            display,
                            line,
                            column,
                            cell,
                            f"year {wrong[0]} is not one {doc_id!r} can speak of (its reporting period or a year it names: {sorted(years[doc_id])})",
                        )
                    )
            quote = sources.normalize(row["quote"])
            text = texts[doc_id]
            if quote not in text:
                if doc_id not in folded:
                    folded[doc_id] = text.translate(_TYPOGRAPHY)
                if quote.translate(_TYPOGRAPHY) in folded[doc_id]:
                    message = f"not in document {doc_id!r} as typed: it differs only in quotation marks, apostrophes or dashes (the document has ’ “ ” « » –)"
                elif closest_left > 0:
                    closest_left -= 1
                    message = f"not in document {doc_id!r}; closest passage: {sources.closest_passage(quote, text)!r}"
                else:
                    message = f"not in document {doc_id!r}"
                problems.append(Problem(display, line, "quote", row["quote"], message))
                continue
            message = quoteProblem(quote, text)
            if message:
                problems.append(Problem(display, line, "quote", row["quote"], message))
            if "name_in_text" in row and sources.normalize(row["name_in_text"]) not in quote:
                problems.append(Problem(display, line, "name_in_text", row["name_in_text"], "not in the quote"))
            if name == "framing" and not quote_has_term(quote, row["term"]):
                pattern = vocabulary.TERM_PATTERNS[row["term"]]
                problems.append(
                    Problem(display, line, "term", row["term"], f"the quote lacks the words of this term (pattern {pattern!r})")
                )
        if name == "facts":
            problems.extend(_check_fact_numbers(frame, display))
    if "sections" in frames:
        problems.extend(_check_sections(frames["sections"], _display(package, "sections"), raw_dir))
    return problems


def _check_fact_numbers(frame: pd.DataFrame, display: str) -> list:
    problems = []
    for line, row in frame.iterrows():
        text = row["value_text"]
        if sources.normalize(text) not in sources.normalize(row["quote"]):
            problems.append(Problem(display, line, "value_text", text, "the number is not in the quote"))
            continue
        if row["unit"] in NO_VALUE_UNITS:
            if pd.notna(row["value"]):
                problems.append(
                    Problem(display, line, "value", str(row["value"]), f"must be empty for unit {row['unit']!r} (the date goes in 'date')")
                )
            if not row["date"]:
                problems.append(Problem(display, line, "date", "", f"required for unit {row['unit']!r}"))
            continue
        if pd.isna(row["value"]):
            problems.append(Problem(display, line, "value", "", f"required for unit {row['unit']!r}"))
            continue
        stated = read_number(text)
        if stated is None:
            problems.append(Problem(display, line, "value_text", text, "cannot read a number from it"))
        elif abs(stated - row["value"]) > 1e-9:
            problems.append(Problem(display, line, "value", str(row["value"]), f"differs from the number in value_text {text!r}"))
    return problems


def _check_sections(frame: pd.DataFrame, display: str, raw_dir) -> list:
    problems = []
    for doc_id, group in frame.groupby("doc_id", sort=False):
        expected = 1
        for line, row in group.sort_values("first_paragraph").iterrows():
            if row["first_paragraph"] != expected:
                problems.append(
                    Problem(
                        display, line, "first_paragraph", str(row["first_paragraph"]), f"sections must tile {doc_id!r}: expected {expected}"
                    )
                )
            if row["last_paragraph"] < row["first_paragraph"]:
                problems.append(Problem(display, line, "last_paragraph", str(row["last_paragraph"]), "before first_paragraph"))
            found = sources.contains(row["quote"], doc_id, raw_dir)  # a missing quote is reported by the quote check
            where = sources.locate(row["quote"], doc_id, raw_dir) if found and row["quote"].strip() else None
            if where and where.paragraph != row["first_paragraph"]:
                problems.append(
                    Problem(display, line, "quote", row["quote"], f"is in paragraph {where.paragraph}, not the section's first")
                )
            expected = int(row["last_paragraph"]) + 1
        count = len(sources.paragraphs(doc_id, raw_dir))
        if expected != count + 1:
            problems.append(
                Problem(
                    display,
                    int(group.index.max()),
                    "last_paragraph",
                    str(expected - 1),
                    f"sections of {doc_id!r} must end at its last paragraph {count}",
                )
            )
    return problems
