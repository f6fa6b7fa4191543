"""Each kind of bad input is refused with an error naming the file, the line, the column and the value."""

import csv
import io

import pytest

from belarus_fp import tables
from belarus_fp.sources import SourceError
from belarus_fp.tables import TableError


def rewrite(data_dir, name, edit):
    """Apply ``edit(header, rows)`` to a curated CSV of the copy; rows are lists of strings."""
    path = data_dir / "curated" / f"{name}.csv"
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    header, *rows = list(reader)
    header, rows = edit(header, rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    path.write_text(out.getvalue(), encoding="utf-8")


def set_cell(name, row, column, value):
    """An edit that sets one cell (row 0 = CSV line 2)."""

    def edit(header, rows):
        rows[row][header.index(column)] = value
        return header, rows

    return edit


def refused(data_dir, file, line, column, value_part, message_part=""):
    with pytest.raises(TableError) as err:
        tables.load_all(data_dir)
    hits = [p for p in err.value.problems if p.file.endswith(file) and p.line == line and p.column == column]
    assert hits, f"no problem at {file}:{line}:{column} in:\n{err.value}"
    assert value_part in hits[0].value and message_part in hits[0].message
    text = str(err.value)
    assert f"{file}, line {line}, column {column!r}" in text
    return hits[0]


def test_the_real_tables_load():
    loaded = tables.load_all()
    assert set(loaded) == set(tables.TABLES)
    assert all(len(frame) > 0 for frame in loaded.values())


def test_missing_column(data_copy):
    def drop_unit(header, rows):
        i = header.index("unit")
        return header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in rows]

    rewrite(data_copy, "facts", drop_unit)
    refused(data_copy, "facts.csv", 1, "unit", "", "required column is missing")


def test_value_outside_vocabulary(data_copy):
    rewrite(data_copy, "bilateral", set_cell("bilateral", 3, "relation", "best_friends"))
    refused(data_copy, "bilateral.csv", 5, "relation", "best_friends", "not in the vocabulary")


def test_unknown_iso3(data_copy):
    rewrite(data_copy, "bilateral", set_cell("bilateral", 0, "iso3", "XYZ"))
    refused(data_copy, "bilateral.csv", 2, "iso3", "XYZ", "unknown ISO3")


def test_unknown_org_id(data_copy):
    rewrite(data_copy, "multilateral", set_cell("multilateral", 1, "org_id", "NOSUCHORG"))
    refused(data_copy, "multilateral.csv", 3, "org_id", "NOSUCHORG", "unknown org_id")


def test_quote_absent_from_document(data_copy):
    rewrite(data_copy, "organizations", set_cell("organizations", 0, "quote", "Belarus joined the European Union in 2013."))
    problem = refused(data_copy, "organizations.csv", 2, "quote", "joined the European Union", "not in document")
    assert "closest passage" in problem.message


def first_numeric_fact() -> int:
    """Row number (0 = CSV line 2) of the first fact that states a number, not a date."""
    facts = tables.load_table("facts")
    return int(facts.index[facts["value"].notna()][0]) - 2


def test_number_absent_from_quote(data_copy):
    row = first_numeric_fact()
    rewrite(data_copy, "facts", set_cell("facts", row, "value_text", "987.6"))
    refused(data_copy, "facts.csv", row + 2, "value_text", "987.6", "not in the quote")


def test_value_disagreeing_with_the_number_in_the_quote(data_copy):
    row = first_numeric_fact()
    rewrite(data_copy, "facts", set_cell("facts", row, "value", "12345"))
    refused(data_copy, "facts.csv", row + 2, "value", "12345", "differs from the number")


def test_duplicate_id(data_copy):
    def duplicate(header, rows):
        return header, rows + [list(rows[0])]

    rewrite(data_copy, "facts", duplicate)
    lines = len((data_copy / "curated" / "facts.csv").read_text(encoding="utf-8").splitlines())
    refused(data_copy, "facts.csv", lines, "fact_id", "", "duplicate")


def test_empty_quote(data_copy):
    rewrite(data_copy, "sections", set_cell("sections", 0, "quote", ""))
    refused(data_copy, "sections.csv", 2, "quote", "", "must not be empty")


def test_unknown_doc_id(data_copy):
    rewrite(data_copy, "groupings", set_cell("groupings", 0, "doc_id", "review-2014"))
    refused(data_copy, "groupings.csv", 2, "doc_id", "review-2014", "not in the vocabulary")


def test_non_utf8_file(data_copy):
    path = data_copy / "curated" / "bilateral.csv"
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b"review-2013,", b"review-2013,\xff", 1)
    path.write_bytes(b"\n".join(lines))
    problem = refused(data_copy, "bilateral.csv", 4, "iso3", "\\xff", "not UTF-8")
    assert problem.message.startswith("not UTF-8")


def test_raw_document_whose_checksum_changed(data_copy):
    path = data_copy / "raw" / "mfa-annual-review-2013.txt"
    path.write_bytes(path.read_bytes() + b"\n")
    with pytest.raises(SourceError, match="checksum mismatch"):
        tables.load_all(data_copy)


def test_nothing_is_dropped_or_fixed():
    """Every data line of every CSV is a row of its frame, with the CSV line number as index."""
    for name in tables.TABLES:
        frame = tables.load_table(name)
        text = (tables.paths.CURATED / f"{name}.csv").read_text(encoding="utf-8")
        header, *rows = list(csv.reader(io.StringIO(text, newline="")))
        assert len(frame) == len(rows)
        assert frame.index.min() == 2


def test_duplicate_composite_key_is_one_problem_naming_the_key(data_copy):
    def duplicate(header, rows):
        return header, rows + [list(rows[5])]

    rewrite(data_copy, "bilateral", duplicate)
    lines = len((data_copy / "curated" / "bilateral.csv").read_text(encoding="utf-8").splitlines())
    refused(data_copy, "bilateral.csv", lines, "doc_id+iso3+relation+quote", "|", "duplicate")


def test_number_column_holding_text(data_copy):
    rewrite(data_copy, "sections", set_cell("sections", 2, "first_paragraph", "seven"))
    refused(data_copy, "sections.csv", 4, "first_paragraph", "seven", "not an integer")


def test_agreement_without_stage(data_copy):
    bilateral = tables.load_table("bilateral")
    row = int(bilateral.index[bilateral["stage"] == "signed"][0]) - 2
    rewrite(data_copy, "bilateral", set_cell("bilateral", row, "stage", ""))
    refused(data_copy, "bilateral.csv", row + 2, "stage", "", "required for an achieved agreement")
