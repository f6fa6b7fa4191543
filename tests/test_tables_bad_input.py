"""Each kind of bad input is refused with an error naming the file, the line, the column and the value."""

import csv
import io

import pytest

from belarus_fp import paths
from belarus_fp.archive import tables
from belarus_fp.archive.sources import SourceError
from belarus_fp.errors import SHOWN, TableError


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
    """Loading the corrupted table (with the tables its keys refer to) is refused at file, line, column."""
    name = file.removesuffix(".csv")
    with pytest.raises(TableError) as err:
        if name in tables.table_names():
            tables.load_table(name, data_dir)  # validates only what the table needs: fast, same checks
        else:
            tables.load_all(data_dir)
    hits = [p for p in err.value.problems if p.file.endswith(file) and p.line == line and p.column == column]
    assert hits, f"no problem at {file}:{line}:{column} in:\n{err.value}"
    assert value_part in hits[0].value, hits[0]
    assert message_part in hits[0].message, hits[0]
    text = str(err.value)
    assert (f"{file}: " if line == 0 else f"{file}, line {line}, column {column!r}") in text
    return hits[0]


def test_the_real_tables_load():
    loaded = tables.load_all()
    assert set(loaded) == set(tables.table_names())
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
        return header, [*rows, list(rows[0])]

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
    for name in tables.table_names():
        frame = tables.load_table(name)
        text = (paths.CURATED / f"{name}.csv").read_text(encoding="utf-8")
        _header, *rows = list(csv.reader(io.StringIO(text, newline="")))
        assert len(frame) == len(rows)
        assert frame.index.min() == 2


def test_duplicate_composite_key_is_one_problem_naming_the_key(data_copy):
    def duplicate(header, rows):
        return header, [*rows, list(rows[5])]

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


# --- What a spreadsheet or a hand edit does to a CSV: each kind refused (or accepted where harmless) ---


def edit_text(data_dir, name, edit):
    """Apply ``edit(text)`` to the raw text of a curated CSV of the copy."""
    path = data_dir / "curated" / f"{name}.csv"
    path.write_bytes(edit(path.read_bytes().decode("utf-8")).encode("utf-8"))


def data_line(name, predicate) -> int:
    """CSV line number of the first row of the real table for which ``predicate(row)`` holds."""
    frame = tables.load_table(name)
    return int(next(line for line, row in frame.iterrows() if predicate(row)))


def replace_line(line, old, new):
    """An edit replacing ``old`` by ``new`` once, in one physical line (1-based)."""

    def edit(text):
        lines = text.split("\n")
        assert old in lines[line - 1], (old, lines[line - 1])
        lines[line - 1] = lines[line - 1].replace(old, new, 1)
        return "\n".join(lines)

    return edit


def test_duplicated_header_name(data_copy):
    edit_text(data_copy, "facts", lambda t: t.replace(",quote,note\n", ",note,note\n", 1))
    refused(data_copy, "facts.csv", 1, "note", "note", "duplicate column name")


def test_padded_header_name(data_copy):
    edit_text(data_copy, "bilateral", lambda t: t.replace(",relation,", ",relation ,", 1))
    refused(data_copy, "bilateral.csv", 1, "relation ", "relation ", "leading or trailing whitespace")


def test_empty_header_name_from_a_trailing_comma(data_copy):
    edit_text(data_copy, "sections", lambda t: t.replace(",note\n", ",note,\n", 1))
    refused(data_copy, "sections.csv", 1, "#10", "", "empty column name")


def test_short_row_is_not_padded(data_copy):
    edit_text(data_copy, "bilateral", replace_line(2, ",named first among Belarus's ally countries", ""))
    refused(data_copy, "bilateral.csv", 2, "note", "", "8 values for 9 columns")


def test_extra_values_from_trailing_commas(data_copy):
    edit_text(data_copy, "bilateral", lambda t: "\n".join(row + ",," if i in (2, 3) else row for i, row in enumerate(t.split("\n"), 1)))
    refused(data_copy, "bilateral.csv", 2, "#10", "", "11 values for 9 columns")
    refused(data_copy, "bilateral.csv", 3, "#10", "", "11 values for 9 columns")


def test_every_malformed_row_is_reported_not_just_the_first(data_copy):
    lines = (data_copy / "curated" / "multilateral.csv").read_text(encoding="utf-8").split("\n")
    bad = [3, 40, 90, len(lines) - 1]
    for line in bad:
        lines[line - 1] = lines[line - 1] + ",extra"
    (data_copy / "curated" / "multilateral.csv").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(TableError) as err:
        tables.load_all(data_copy)
    assert sorted(p.line for p in err.value.problems) == bad
    assert all(p.value.endswith("extra") and "8 values for 7 columns" in p.message for p in err.value.problems)


def test_table_with_header_and_no_rows(data_copy):
    edit_text(data_copy, "groupings", lambda t: t.split("\n", 1)[0] + "\n")
    refused(data_copy, "groupings.csv", 2, "(row)", "", "no rows")


def test_missing_table_file(data_copy):
    (data_copy / "curated" / "organizations.csv").unlink()
    refused(data_copy, "organizations.csv", 0, "(file)", "", "table file is missing")


def test_empty_table_file(data_copy):
    (data_copy / "curated" / "sections.csv").write_bytes(b"")
    refused(data_copy, "sections.csv", 1, "(header)", "", "no header line")


def test_blank_line_between_rows(data_copy):
    edit_text(data_copy, "facts", lambda t: t.replace("\n", "\n\n", 3).replace("\n\n", "\n", 2))
    refused(data_copy, "facts.csv", 4, "(row)", "", "blank line or empty row")


def test_row_of_empty_cells(data_copy):
    edit_text(data_copy, "organizations", lambda t: t.replace("\n", "\n,,,,,,\n", 1))
    refused(data_copy, "organizations.csv", 2, "(row)", ",,,,,,", "blank line or empty row")


def test_stray_double_quote_inside_an_unquoted_value(data_copy):
    edit_text(data_copy, "bilateral", replace_line(2, "RUS,Russia,ally", 'RUS,Russia "the ally,ally'))
    refused(data_copy, "bilateral.csv", 2, "name_in_text", 'Russia "the ally', "double quote inside an unquoted value")


def test_quote_left_open_does_not_swallow_the_rest(data_copy):
    edit_text(data_copy, "bilateral", replace_line(2, ",named first among", ',"named first among'))
    edit_text(data_copy, "bilateral", replace_line(7, "review-2013,", 'review-2013,"x"y'))
    refused(data_copy, "bilateral.csv", 2, "note", '"named first', "not closed on the same line")
    refused(data_copy, "bilateral.csv", 7, "iso3", '"x"y', "text after the closing double quote")


def test_trailing_space_in_a_value(data_copy):
    edit_text(data_copy, "bilateral", replace_line(2, "RUS,Russia,", "RUS,Russia ,"))
    refused(data_copy, "bilateral.csv", 2, "name_in_text", "Russia ", "leading or trailing whitespace")


def test_non_breaking_space_outside_a_quote(data_copy):
    edit_text(data_copy, "bilateral", replace_line(2, "named first among", "named\u00a0first among"))
    refused(data_copy, "bilateral.csv", 2, "note", "named\u00a0first", "no-break space (U+00A0)")


def test_zero_width_space(data_copy):
    edit_text(data_copy, "bilateral", replace_line(2, "RUS,Russia,", "RUS,Rus\u200bsia,"))
    refused(data_copy, "bilateral.csv", 2, "name_in_text", "Rus\u200bsia", "invisible character U+200B")


def test_tab_inside_a_value(data_copy):
    edit_text(data_copy, "bilateral", replace_line(2, "named first", "named\tfirst"))
    refused(data_copy, "bilateral.csv", 2, "note", "named\tfirst", "invisible character U+0009")


def test_byte_order_mark_inside_a_value(data_copy):
    edit_text(data_copy, "bilateral", replace_line(3, "review-2013,", "review-2013,\ufeff"))
    problem = refused(data_copy, "bilateral.csv", 3, "iso3", "\ufeff", "byte-order mark")
    assert "BOM" in problem.message


def test_spreadsheet_error_value(data_copy):
    edit_text(data_copy, "bilateral", replace_line(2, ",named first among Belarus's ally countries", ",#N/A"))
    refused(data_copy, "bilateral.csv", 2, "note", "#N/A", "spreadsheet error value")


def test_mojibake_from_a_wrong_encoding_round_trip(data_copy):
    line = data_line("bilateral", lambda r: "’" in r["quote"])
    edit_text(data_copy, "bilateral", replace_line(line, "’", "â€™"))
    refused(data_copy, "bilateral.csv", line, "quote", "â€™", "mojibake")


def test_windows_1252_bytes_on_several_lines(data_copy):
    path = data_copy / "curated" / "bilateral.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("cp1252", errors="replace"))  # ’ « » – become single bytes
    lines = [i for i, line in enumerate(text.split("\n"), start=1) if any(c in line for c in "’«»–“”")]
    with pytest.raises(TableError) as err:
        tables.load_all(data_copy)
    assert [p.line for p in err.value.problems] == lines
    first = err.value.problems[0]
    assert first.file == "data/curated/bilateral.csv" and first.column == "quote"
    assert "not UTF-8" in first.message and "Windows-1252" in first.message and "\\x" in first.value


def test_utf16_file(data_copy):
    path = data_copy / "curated" / "groupings.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    problem = refused(data_copy, "groupings.csv", 1, "(file)", "ff fe", "UTF-16")
    assert "BOM" in problem.message


def test_semicolon_separated_file(data_copy):
    rewrite(data_copy, "sections", lambda h, rows: (h, rows))
    edit_text(data_copy, "sections", lambda t: t.replace(",", ";"))
    refused(
        data_copy,
        "sections.csv",
        1,
        "doc_id;section_id;title;title_source;vector;first_paragraph;last_paragraph;quote;note",
        "doc_id;",
        "semicolon",
    )


def test_utf8_bom_at_the_start_crlf_and_trailing_blank_lines_are_accepted(data_copy):
    """Harmless and well defined: the same frames as the original, line numbers unchanged."""
    for name in ("facts", "bilateral"):
        edit_text(data_copy, name, lambda t: "\ufeff" + t.replace("\n", "\r\n") + "\r\n\r\n")
    edit_text(data_copy, "sections", lambda t: t.replace("\n", "\r"))
    original, copy = tables.load_all(), tables.load_all(data_copy)
    for name in tables.table_names():
        assert copy[name].equals(original[name]), name
        assert list(copy[name].index) == list(original[name].index)


def test_number_in_scientific_notation(data_copy):
    line = data_line("facts", lambda r: r["value_text"] == "39.7")
    rewrite(data_copy, "facts", set_cell("facts", line - 2, "value", "3.97E+01"))
    refused(data_copy, "facts.csv", line, "value", "3.97E+01", "scientific notation")


def test_year_written_as_a_float(data_copy):
    line = data_line("bilateral", lambda r: r["year"] == 2013)
    edit_text(data_copy, "bilateral", replace_line(line, ",2013,", ",2013.0,"))
    refused(data_copy, "bilateral.csv", line, "year", "2013.0", "not an integer")


@pytest.mark.parametrize("text", ["nan", "inf", "1,000", "39,7", "$39.7"])
def test_number_that_pandas_would_accept_or_guess(data_copy, text):
    line = data_line("facts", lambda r: r["value_text"] == "39.7")
    rewrite(data_copy, "facts", set_cell("facts", line - 2, "value", text))
    refused(data_copy, "facts.csv", line, "value", text, "not a number")


@pytest.mark.parametrize("year", ["20133", "2099", "2010"])
def test_year_outside_what_the_document_can_speak_of(data_copy, year):
    line = data_line("multilateral", lambda r: r["year"] == 2013)
    rewrite(data_copy, "multilateral", set_cell("multilateral", line - 2, "year", year))
    refused(data_copy, "multilateral.csv", line, "year", year, f"year {year} is not one 'review-2013' can speak of")


def test_period_year_outside_what_the_document_can_speak_of(data_copy):
    line = data_line("facts", lambda r: r["period"] == "2013" and not r["date"])
    rewrite(data_copy, "facts", set_cell("facts", line - 2, "period", "2013-2099"))
    refused(data_copy, "facts.csv", line, "period", "2013-2099", "year 2099 is not one")


def test_period_ending_before_it_starts(data_copy):
    line = data_line("facts", lambda r: r["period"] == "2014-2016")
    rewrite(data_copy, "facts", set_cell("facts", line - 2, "period", "2016-2014"))
    refused(data_copy, "facts.csv", line, "period", "2016-2014", "ends before it starts")


def test_date_that_is_not_a_calendar_date(data_copy):
    line = data_line("facts", lambda r: r["unit"] == "date" and len(r["date"]) == 7)
    rewrite(data_copy, "facts", set_cell("facts", line - 2, "date", "2013-13-45"))
    refused(data_copy, "facts.csv", line, "date", "2013-13-45", "not a calendar date")


def test_date_reformatted_by_a_spreadsheet(data_copy):
    line = data_line("facts", lambda r: r["unit"] == "date")
    rewrite(data_copy, "facts", set_cell("facts", line - 2, "date", "13/05/2013"))
    refused(data_copy, "facts.csv", line, "date", "13/05/2013", "does not match")


def test_date_whose_value_text_says_another_year(data_copy):
    line = data_line("facts", lambda r: r["unit"] == "date" and r["value_text"] == "September 2013")
    rewrite(data_copy, "facts", set_cell("facts", line - 2, "date", "2014-09"))
    refused(data_copy, "facts.csv", line, "date", "2014-09", "not the one value_text states")


def test_date_whose_value_text_says_another_month(data_copy):
    line = data_line("facts", lambda r: r["unit"] == "date" and r["value_text"] == "September 2013")
    rewrite(data_copy, "facts", set_cell("facts", line - 2, "date", "2013-10"))
    refused(data_copy, "facts.csv", line, "date", "2013-10", "its month is not the one")


def test_span_ending_before_it_starts(data_copy):
    line = data_line("facts", lambda r: r["unit"] == "period" and "/" in r["date"] and len(r["date"]) == 21)
    start, end = tables.load_table("facts").at[line, "date"].split("/")
    rewrite(data_copy, "facts", set_cell("facts", line - 2, "date", f"{end}/{start}"))
    refused(data_copy, "facts.csv", line, "date", f"{end}/{start}", "ends before it starts")


def test_quote_too_short_to_prove_anything(data_copy):
    rewrite(data_copy, "multilateral", set_cell("multilateral", 0, "quote", "the"))
    refused(data_copy, "multilateral.csv", 2, "quote", "the", "too short to prove a row")


def test_quote_that_occurs_in_several_places(data_copy):
    from belarus_fp.archive import sources

    phrase = "of the Republic of Belarus"
    assert " ".join(sources.paragraphs("review-2013")).count(phrase) > 1
    rewrite(data_copy, "multilateral", set_cell("multilateral", 0, "quote", phrase))
    refused(data_copy, "multilateral.csv", 2, "quote", phrase, "times in the document")


def test_quote_typed_with_straight_apostrophes(data_copy):
    line = data_line("bilateral", lambda r: "’" in r["quote"] and "’" not in r["name_in_text"])
    quote = tables.load_table("bilateral").at[line, "quote"].replace("’", "'")
    rewrite(data_copy, "bilateral", set_cell("bilateral", line - 2, "quote", quote))
    refused(data_copy, "bilateral.csv", line, "quote", "'", "differs only in quotation marks")


def test_non_breaking_space_in_a_quote_is_verbatim_and_accepted(data_copy):
    line = data_line("facts", lambda r: "426 140" in r["quote"])
    quote = tables.load_table("facts").at[line, "quote"].replace("426 140", "426\u00a0140")
    rewrite(data_copy, "facts", set_cell("facts", line - 2, "quote", quote))
    assert tables.load_table("facts", data_copy).at[line, "quote"] == quote


def test_field_larger_than_the_csv_module_limit_gets_a_short_clear_error(data_copy):
    huge = ("Belarus " * 30_000).strip()  # 240,000 characters: csv's default field limit is 131,072
    rewrite(data_copy, "organizations", set_cell("organizations", 0, "quote", huge))
    with pytest.raises(TableError) as err:
        tables.load_all(data_copy)
    assert len(str(err.value)) < 2000
    refused(data_copy, "organizations.csv", 2, "quote", "Belarus Belarus", "not in document 'review-2013'")


def test_datapackage_that_is_not_json(data_copy):
    path = data_copy / "curated" / "datapackage.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"resources"', "resources", 1), encoding="utf-8")
    line = next(
        i
        for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "resources" in text and '"' not in text.split("resources")[0][-1:]
    )
    with pytest.raises(TableError) as err:
        tables.load_all(data_copy)
    problem = err.value.problems[0]
    assert problem.file == "data/curated/datapackage.json" and problem.line == line
    assert "not valid JSON" in problem.message and "resources" in problem.value
    assert f"data/curated/datapackage.json, line {line}" in str(err.value)


def test_datapackage_missing_a_resource(data_copy):
    import json

    path = data_copy / "curated" / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["name"] != "groupings"]
    path.write_text(json.dumps(package), encoding="utf-8")
    refused(data_copy, "datapackage.json", 0, "(file)", "", "facts.subject: refers to groupings.group_id, no column of a table")


def test_datapackage_with_a_bom_is_accepted(data_copy):
    path = data_copy / "curated" / "datapackage.json"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert set(tables.load_all(data_copy)) == set(tables.table_names())


def test_unknown_table_name_lists_the_tables():
    with pytest.raises(ValueError) as err:
        tables.load_table("fact")
    assert "did you mean 'facts'" in str(err.value)
    assert all(name in str(err.value) for name in tables.table_names())


def test_load_table_validates_only_what_it_needs(data_copy):
    rewrite(data_copy, "bilateral", set_cell("bilateral", 0, "iso3", "XYZ"))
    assert len(tables.load_table("facts", data_copy)) == len(tables.load_table("facts"))
    assert len(tables.load_table("multilateral", data_copy)) == len(tables.load_table("multilateral"))
    with pytest.raises(TableError, match="XYZ"):
        tables.load_table("bilateral", data_copy)


def test_edited_table_is_reloaded_even_with_the_same_size_and_mtime(data_copy):
    import os

    tables.load_all(data_copy)
    path = data_copy / "curated" / "bilateral.csv"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("RUS,Russia,ally", "RUX,Russia,ally", 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    refused(data_copy, "bilateral.csv", 2, "iso3", "RUX", "unknown ISO3")


def test_many_wrong_quotes_are_all_reported_quickly_and_readably(data_copy):
    import time

    def wrong(header, rows):
        q = header.index("quote")
        return header, [[*r[:q], f"Belarus never wrote this sentence number {i}.", *r[q + 1 :]] for i, r in enumerate(rows)]

    rewrite(data_copy, "bilateral", wrong)
    start = time.perf_counter()
    with pytest.raises(TableError) as err:
        tables.load_all(data_copy)
    assert time.perf_counter() - start < 5
    rows = len(tables.load_table("bilateral"))
    assert len([p for p in err.value.problems if p.column == "quote"]) == rows
    message = str(err.value)
    assert message.count("closest passage") == SHOWN
    assert f"and {rows - SHOWN} more" in message and len(message) < 20_000


def test_curated_readme_states_the_rules_as_the_code_has_them():
    from belarus_fp.archive import proofs

    readme = " ".join((paths.CURATED / "README.md").read_text(encoding="utf-8").split())
    assert f"at least {proofs.MIN_QUOTE_WORDS} words and {proofs.MIN_QUOTE_CHARS} characters" in readme
    for doc_id in ("review-2013", "priorities"):
        years = sorted(proofs.document_years(doc_id))
        runs, start = [], years[0]
        for a, b in zip(years, [*years[1:], None], strict=True):
            if b != a + 1:
                runs.append(str(a) if a == start else f"{start}–{a}")
                start = b
        assert f"{' and '.join(runs)} for `{doc_id}`" in readme, (doc_id, runs)


def test_data_dir_that_is_not_a_data_folder_is_named(tmp_path):
    with pytest.raises(TableError) as err:
        tables.load_table("facts", tmp_path / "nowhere")
    assert str(err.value).endswith(f"{tmp_path / 'nowhere'}: not a data folder: it has no curated/ folder (data_dir is a clone's data/)")


def test_integer_with_a_leading_zero(data_copy):
    line = data_line("bilateral", lambda r: r["year"] == 2013)
    rewrite(data_copy, "bilateral", set_cell("bilateral", line - 2, "year", "02013"))
    refused(data_copy, "bilateral.csv", line, "year", "02013", "leading zero")


def test_framing_term_whose_words_are_not_in_the_quote(data_copy):
    with open(data_copy / "curated" / "framing.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    row = next(i for i, r in enumerate(rows) if r["term"] == "strategic_cooperation")
    rewrite(data_copy, "framing", set_cell("framing", row, "term", "reliable_partner"))
    refused(data_copy, "framing.csv", row + 2, "term", "reliable_partner", "the quote lacks the words of this term")
