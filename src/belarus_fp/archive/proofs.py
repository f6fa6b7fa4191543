"""Proving every row against its document; each check returns :class:`belarus_fp.errors.Problem` rows.

The quote is verbatim in the document, long enough and in one place; the number, name or framing term the row
rests on is in its quote; every year is one the document can speak of; sections tile their document.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from ..errors import SHOWN, Problem
from . import name_tables, sources, vocabulary
from .catalogue import DATAPACKAGE
from .keys import countries_in, name_problems
from .numbers import NO_VALUE_UNITS, read_number, whole_number_in, years_in
from .reading import Recent, content_hash, file_digest
from .schemas import records

#: A quote must be at least this long (normalised) and occur exactly once in its document.
MIN_QUOTE_WORDS = 3
MIN_QUOTE_CHARS = 25


def document_years(doc_id: str, archive=None) -> set[int]:
    """The years a document can speak of: those it writes and its reporting period's."""
    text = " ".join(sources.paragraphs(doc_id, archive))
    return years_in(text) | years_in(sources.document_info(doc_id, archive).get("period_covered", ""))


def _row_years(name: str, row) -> list[tuple[str, str, list[int]]]:
    """(column, cell, years) for every cell of a row that holds years."""
    out = []
    if "year" in row and pd.notna(row["year"]):
        out.append(("year", str(row["year"]), [int(row["year"])]))
    for column in ("period", "date"):
        if row.get(column):
            out.append((column, row[column], [int(y) for y in re.findall(r"(?<!\d)\d{4,}(?!\d)", row[column])]))
    return out


def quote_problem(quote: str, text: str) -> str | None:
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


def check_against_documents(frames: dict, catalogue, archive, contents: Mapping | None = None) -> list:
    """Every row against its document: its quote, what the row rests on, and its years.

    Every quote is in its document, long enough and in one place; the number / name / framing term a row rests on
    is in its quote; every year is one the document can speak of.

    The closest passage (slow: ~20 ms) is computed for the first quotes not found only; the rest
    are reported without it, so 10,000 bad quotes are reported in seconds.

    ``contents``: each frame's key of its bytes and schema (``tables._typed``). A table whose proof passed is not
    proved again while that key, the descriptor, the manifest rows and bytes of the documents its rows cite and (for
    a table with ``name_in_text``) the two name tables are as they were: a copy of an archive with one corrupted
    table proves only that table (:func:`_proof_key` lists what a proof reads).
    """
    # Names two countries claim (an edited alias table) are reported once, where they are, and the name check skipped.
    with_names = any("name_in_text" in frame.columns for frame in frames.values())
    problems = name_problems(archive) if with_names else []
    # The names, built once for every row (a look-up per row hashed the two name tables per row).
    names = name_tables.country_names(archive) if with_names and not problems else None
    # A table whose quote is optional (speakers: empty where the row rests on the corpus's record) has
    # nothing to prove against its document in a row without one.
    optional = {
        name
        for name in frames
        for field in catalogue[name].resource["schema"]["fields"]
        if field["name"] == "quote" and not field.get("constraints", {}).get("required")
    }
    cited_by = {
        name: {
            doc_id for doc_id, quote in zip(frame["doc_id"].tolist(), frame["quote"].tolist(), strict=True) if quote or name not in optional
        }
        for name, frame in frames.items()
        if "doc_id" in frame.columns
    }
    manifest = {row["doc_id"]: row for row in sources.manifest(archive)}
    proof_keys = {name: _proof_key(name, contents, cited_by.get(name, set()), manifest, archive) for name in frames} if contents else {}
    todo = {name: frame for name, frame in frames.items() if proof_keys.get(name) is None or _PROVED.get(proof_keys[name]) is None}
    texts, years, folded, paragraphs, prefixes = {}, {}, {}, {}, {}
    known = sources.doc_ids(archive)
    cited = set().union(*(cited_by.get(name, set()) for name in todo))
    for info in (row for row in manifest.values() if row["doc_id"] in cited):  # the documents the rows cite
        doc_id = info["doc_id"]
        paragraphs[doc_id] = sources.paragraphs(doc_id, archive)
        texts[doc_id] = " ".join(paragraphs[doc_id])
        years[doc_id] = document_years(doc_id, archive)
        prefixes[doc_id] = info["id_prefix"]
    closest_left = SHOWN
    passed, last = [], []
    for name, frame in todo.items():
        table = catalogue[name]
        display = table.display
        found = []
        for line, row in zip(frame.index, records(frame), strict=True):
            doc_id = row["doc_id"]
            if name in optional and not row["quote"]:
                continue
            if doc_id not in texts:
                found.append(Problem(display, line, "doc_id", doc_id, f"unknown doc_id; known: {known}"))
                continue
            found.extend(_check_years_and_prefixes(table, line, row, years[doc_id], prefixes[doc_id]))
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
                found.append(Problem(display, line, "quote", row["quote"], message))
                continue
            found.extend(_check_found_quote(table, line, row, quote, text, paragraphs[doc_id], names))
        if name == "facts":
            found.extend(_check_fact_numbers(frame, display))
        tiling = _check_sections(frame, display, archive) if name == "sections" else []
        problems.extend(found)
        last.extend(tiling)  # reported after every table's rows, as they always were
        if not found and not tiling and proof_keys.get(name) is not None:
            passed.append(proof_keys[name])
    for key in passed:
        _PROVED.put(key, True)
    return problems + last


#: The keys (:func:`_proof_key`) of the tables whose proof against their documents passed.
_PROVED = Recent(256)


def _proof_key(name: str, contents: Mapping, cited: set, manifest: Mapping, archive) -> tuple | None:
    """What the proof of table ``name`` reads, as a key; None if a document it cites is not in the manifest.

    The table's bytes and schema (``contents``), the whole descriptor (its table definitions), each cited document's
    manifest row (file, layout, debris, period, prefix) and bytes, and the two name tables the name check reads.
    """
    if name not in contents or not cited <= manifest.keys():
        return None
    documents = tuple(
        (doc_id, tuple(sorted(manifest[doc_id].items())), file_digest(archive.raw / manifest[doc_id]["file"])) for doc_id in sorted(cited)
    )
    name_files = [archive.reference / f"{table}.csv" for table, _ in name_tables.COUNTRY_NAME_TABLES]
    return (name, contents[name], file_digest(archive.curated / DATAPACKAGE), documents, content_hash(name_files, archive.data))


def _check_years_and_prefixes(table, line: int, row: dict, doc_years: set, prefix: str) -> list:
    """Every year of the row is one its document can speak of; every prefixed id carries its document's ``prefix``."""
    doc_id, problems = row["doc_id"], []
    for column, cell, cell_years in _row_years(table.name, row):
        wrong = [y for y in cell_years if y not in doc_years]
        if wrong:
            problems.append(
                Problem(
                    table.display,
                    line,
                    column,
                    cell,
                    f"year {wrong[0]} is not one {doc_id!r} can speak of (its reporting period or a year it names: {sorted(doc_years)})",
                )
            )
    for column in table.prefixed:
        if not str(row[column]).startswith(f"{prefix}-"):
            problems.append(
                Problem(
                    table.display,
                    line,
                    column,
                    row[column],
                    f"the prefix of {doc_id!r} is {prefix!r}: an id carries its own document's prefix",
                )
            )
    return problems


def _check_found_quote(table, line: int, row: dict, quote: str, text: str, paragraphs: list, names: Mapping | None) -> list:
    """A quote found in its document's ``text``: long enough, in one place and one paragraph; its name and term in it.

    ``names``: the archive's country names (:func:`belarus_fp.archive.name_tables.country_names`); None when they
    cannot be built (reported once), so no row's name is checked.
    """
    name, display, doc_id, problems = table.name, table.display, row["doc_id"], []
    message = quote_problem(quote, text)
    if message:
        problems.append(Problem(display, line, "quote", row["quote"], message))
    elif name != "sections" and not any(quote in para for para in paragraphs):
        problems.append(
            Problem(
                display,
                line,
                "quote",
                row["quote"],
                f"runs across paragraphs of {doc_id!r} (or across debris dropped between them): a quote lies within one paragraph",
            )
        )
    if "name_in_text" in row and names is not None:
        problems.extend(_check_name(table.country_column, line, row, quote, display, names))
    if name == "framing" and not quote_has_term(quote, row["term"]):
        pattern = vocabulary.TERM_PATTERNS[row["term"]]
        problems.append(Problem(display, line, "term", row["term"], f"the quote lacks the words of this term (pattern {pattern!r})"))
    return problems


def _check_name(column: str | None, line: int, row: dict, quote: str, display: str, names: Mapping) -> list:
    """``name_in_text`` is a whole word (or words) of the quote, and names the row's country.

    Through the mention finder's names (a hyphenated adjective by its parts); words that name no country ("the two
    countries") are an implied subject, accepted only with a ``note`` saying how it was resolved. ``column``: the
    table's country column (:attr:`belarus_fp.archive.catalogue.Table.country_column`), if it has one.
    """
    name = sources.normalize(row["name_in_text"])
    if name not in quote:
        return [Problem(display, line, "name_in_text", row["name_in_text"], "not in the quote")]
    if column and not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", quote):
        return [Problem(display, line, "name_in_text", row["name_in_text"], "not a whole word of the quote (part of a longer word)")]
    code = row.get(column, "") if column else ""
    if not column or not (len(code) == 3 and code.isupper()):
        return []  # an organisation (framing) or a table without a country
    named = countries_in(name, names) - ({"BLR"} if code != "BLR" else set())
    if named and code not in named:
        return [Problem(display, line, column, code, f"{row['name_in_text']!r} names {', '.join(sorted(named))}, not {code}")]
    if not named and not row.get("note"):
        return [
            Problem(
                display,
                line,
                column,
                code,
                f"{row['name_in_text']!r} names no country: an implied subject needs a note saying how it was resolved to {code}",
            )
        ]
    return []


def _check_fact_numbers(frame: pd.DataFrame, display: str) -> list:
    problems = []
    for line, row in frame.iterrows():
        text = row["value_text"]
        if sources.normalize(text) not in sources.normalize(row["quote"]):
            problems.append(Problem(display, line, "value_text", text, "the number is not in the quote"))
            continue
        if not whole_number_in(sources.normalize(text), sources.normalize(row["quote"])):
            problems.append(
                Problem(display, line, "value_text", text, "not a whole number of the quote (a piece of a longer number or word)")
            )
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


def _check_sections(frame: pd.DataFrame, display: str, archive) -> list:
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
            found = sources.contains(row["quote"], doc_id, archive)  # a missing quote is reported by the quote check
            where = sources.locate(row["quote"], doc_id, archive) if found and row["quote"].strip() else None
            if where and where.paragraph != row["first_paragraph"]:
                problems.append(
                    Problem(display, line, "quote", row["quote"], f"is in paragraph {where.paragraph}, not the section's first")
                )
            expected = int(row["last_paragraph"]) + 1
        count = len(sources.paragraphs(doc_id, archive))
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
