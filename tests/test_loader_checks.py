"""Inputs the loader once let through, each now refused with file, line, column and value."""

import json
import time

import pytest
from test_tables_bad_input import data_line, refused, rewrite

from belarus_fp.archive import keys, numbers, sources, tables
from belarus_fp.errors import TableError


def line_of(name, predicate):
    return data_line(name, predicate)


def set_by_line(table, line, **cells):
    def edit(header, rows):
        for column, value in cells.items():
            rows[line - 2][header.index(column)] = value
        return header, rows

    return edit


def test_a_number_is_a_whole_number_of_its_quote(data_copy):
    line = line_of("facts", lambda r: r["fact_id"] == "r13-russia-trade-turnover")  # "$39.7 billion"
    rewrite(data_copy, "facts", set_by_line("facts", line, value="39", value_text="39"))
    refused(data_copy, "facts.csv", line, "value_text", "39", "not a whole number of the quote")


def test_a_range_s_end_is_not_a_negative_count(data_copy):
    line = line_of("facts", lambda r: "2014-2017" in r["quote"] and r["unit"] == "period")
    rewrite(data_copy, "facts", set_by_line("facts", line, value="-2017", value_text="-2017", unit="count", date="", period=""))
    refused(data_copy, "facts.csv", line, "value_text", "-2017", "not a whole number of the quote")


@pytest.mark.parametrize("value_text", ["39.7", "426 140", "2,160"])
def test_whole_number_tokens(value_text):
    assert numbers.whole_number_in(value_text, f"amounted to ${value_text} billion.")
    assert not numbers.whole_number_in("39", "amounted to $39.7 billion")
    assert not numbers.whole_number_in("140", "426 140 visas")
    assert not numbers.whole_number_in("160", "2,160 visas")
    assert not numbers.whole_number_in("eight", "eighteen visits")
    assert numbers.whole_number_in("20th", "the 20th session")


def test_iso3_is_a_country_the_quote_names(data_copy):
    line = line_of("bilateral", lambda r: r["name_in_text"] == "Russia")
    rewrite(data_copy, "bilateral", set_by_line("bilateral", line, iso3="DEU"))
    refused(data_copy, "bilateral.csv", line, "iso3", "DEU", "'Russia' names RUS")


def test_a_name_inside_a_longer_word_is_refused(data_copy):
    line = line_of("bilateral", lambda r: r["name_in_text"] == "Nigeria")
    rewrite(data_copy, "bilateral", set_by_line("bilateral", line, iso3="NER", name_in_text="Niger"))
    refused(data_copy, "bilateral.csv", line, "name_in_text", "Niger", "not a whole word of the quote")


def test_an_implied_country_needs_its_note(data_copy):
    line = line_of("bilateral", lambda r: r["name_in_text"] == "the two countries")
    rewrite(data_copy, "bilateral", set_by_line("bilateral", line, note=""))
    refused(data_copy, "bilateral.csv", line, "iso3", "POL", "names no country: an implied subject needs a note")


def test_the_name_check_reads_the_archive_s_own_aliases_as_they_are_now(data_copy):
    """The loader's name check reads the loaded archive's aliases, not the clone's, and sees an edit in the same process."""
    line = line_of("bilateral", lambda r: r["name_in_text"] == "the two countries")
    tables.load_table("bilateral", data_copy)  # accepted, and the names cached
    with (data_copy / "reference" / "country_aliases.csv").open("a", encoding="utf-8") as aliases:
        aliases.write("the two countries,LTU,a test,\n")
    refused(data_copy, "bilateral.csv", line, "iso3", "POL", "'the two countries' names LTU, not POL")
    assert keys.named_countries("the two countries") == set()  # the clone's own tables are unchanged


def test_facts_subject_is_a_known_country_or_organisation(data_copy):
    line = line_of("facts", lambda r: r["subject"] == "RUS")
    rewrite(data_copy, "facts", set_by_line("facts", line, subject="Rusia"))
    refused(data_copy, "facts.csv", line, "subject", "Rusia", "unknown subject")


def test_a_quote_across_two_paragraphs_is_refused(data_copy):
    paras = sources.paragraphs("review-2013", data_copy)
    quote = " ".join(paras[3].split()[-4:] + paras[4].split()[:4])  # the end of one paragraph and the start of the next
    line = line_of("multilateral", lambda r: r["doc_id"] == "review-2013")
    rewrite(data_copy, "multilateral", set_by_line("multilateral", line, quote=quote))
    refused(data_copy, "multilateral.csv", line, "quote", quote[:20], "runs across paragraphs")


def test_a_quote_that_exists_only_once_debris_is_dropped_is_refused(data_copy):
    """Paragraph 5 of the review declared debris: a quote running from paragraph 4 into paragraph 6 exists
    only in the text with the debris dropped, never in the file as stored."""
    import csv
    import io

    raw = data_copy / "raw"
    paras = sources.paragraphs("review-2013", data_copy)
    before, debris, after = paras[3], paras[4], paras[5]
    path = raw / "manifest.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows:
        if row["doc_id"] == "review-2013":
            row["debris"] = "|".join(filter(None, [row["debris"], debris]))
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    quote = " ".join(before.split()[-4:] + after.split()[:4])
    line = line_of("multilateral", lambda r: r["doc_id"] == "review-2013")
    rewrite(data_copy, "multilateral", set_by_line("multilateral", line, quote=quote))
    refused(data_copy, "multilateral.csv", line, "quote", quote[:20], "runs across paragraphs")


def test_organisation_parents_form_a_tree(data_copy):
    line = line_of("organizations", lambda r: r["org_id"] == "UN")
    rewrite(data_copy, "organizations", set_by_line("organizations", line, parent="UNGA"))  # UNGA's parent is UN
    refused(data_copy, "organizations.csv", line, "parent", "UNGA", "a cycle of parents: UN -> UNGA -> UN")
    rewrite(data_copy, "organizations", set_by_line("organizations", line, parent="UN"))
    refused(data_copy, "organizations.csv", line, "parent", "UN", "its own parent")


def test_an_id_carries_its_own_document_s_prefix(data_copy):
    line = line_of("facts", lambda r: r["fact_id"] == "r13-russia-trade-turnover")
    rewrite(data_copy, "facts", set_by_line("facts", line, fact_id="pri-russia-trade-turnover"))
    refused(data_copy, "facts.csv", line, "fact_id", "pri-russia-trade-turnover", "the prefix of 'review-2013' is 'r13'")


def test_a_date_agrees_with_the_day_its_text_states(data_copy):
    line = line_of("facts", lambda r: r["value_text"] == "October 10, 2013")
    rewrite(data_copy, "facts", set_by_line("facts", line, date="2013-10-11"))
    refused(data_copy, "facts.csv", line, "date", "2013-10-11", "its day is not the one value_text states")
    line = line_of("facts", lambda r: r["value_text"] == "January 15-17, 2013")
    rewrite(data_copy, "facts", set_by_line("facts", line, date="2013-01-15/2013-01-18"))
    refused(data_copy, "facts.csv", line, "date", "2013-01-18", "its day is not the one value_text states")


def test_a_name_mixes_no_scripts(data_copy):
    line = line_of("organizations", lambda r: r["org_id"] == "UN")
    rewrite(data_copy, "organizations", set_by_line("organizations", line, name="United N\u0430tions"))  # a Cyrillic "\u0430"
    refused(data_copy, "organizations.csv", line, "name", "United N", "mixes scripts (CYRILLIC, LATIN)")


@pytest.mark.parametrize("pattern", ["^(a+)+$", "^([a-z]*)*x$", "^(a|a)*$", "^(a|aa)+$", "x" * 4001])
def test_a_crafted_pattern_is_refused_before_use(data_copy, pattern):
    path = data_copy / "curated" / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    field = next(f for r in package["resources"] if r["name"] == "facts" for f in r["schema"]["fields"] if f["name"] == "metric")
    field["constraints"]["pattern"] = pattern
    path.write_text(json.dumps(package), encoding="utf-8")
    start = time.monotonic()
    with pytest.raises(TableError) as err:
        tables.load_table("facts", data_copy)
    assert time.monotonic() - start < 5
    assert "datapackage.json" in str(err.value) and "facts.metric" in str(err.value) and "pattern" in str(err.value)


def test_the_current_patterns_pass_the_check():
    package = tables.datapackage()
    assert package  # loads: every committed pattern is bounded


def test_a_formula_cell_in_a_curated_table_is_refused(data_copy):
    line = line_of("facts", lambda r: r["fact_id"] == "r13-russia-trade-turnover")
    rewrite(data_copy, "facts", set_by_line("facts", line, note='=HYPERLINK("http://evil.example","x")'))
    refused(data_copy, "facts.csv", line, "note", "=HYPERLINK", "a spreadsheet would evaluate it as a formula")


def test_data_dir_of_a_wrong_type_or_empty_is_refused():
    import belarus_fp

    for bad in (123, b"data", ["data"]):
        with pytest.raises(TypeError, match="data_dir must be a path"):
            belarus_fp.load_table("facts", data_dir=bad)
    for bad in ("", "  "):
        with pytest.raises(ValueError, match="data_dir is an empty string"):
            belarus_fp.load_table("facts", data_dir=bad)
        with pytest.raises(ValueError, match="data_dir is an empty string"):
            belarus_fp.cite("r13-russia-trade-turnover", data_dir=bad)


@pytest.mark.parametrize(
    "call, table, column",
    [
        (lambda t: __import__("belarus_fp.analysis.trade", fromlist=["x"]).shares_table(t), "facts", "metric"),
        (lambda t: __import__("belarus_fp.analysis.footprint", fromlist=["x"]).counts_by_vector(t), "bilateral", "relation"),
        (lambda t: __import__("belarus_fp.analysis.framing", fromlist=["x"]).term_matrix(t), "framing", "term"),
    ],
)
def test_an_analysis_given_a_frame_without_a_column_names_it_and_the_table(call, table, column):
    from belarus_fp.analysis import MissingColumn

    frame = tables.load_table(table).drop(columns=[column])
    with pytest.raises(MissingColumn) as err:
        call(frame)
    assert f"the frame given as {table!r} has no column {column!r}" in str(err.value)
    assert f"belarus_fp.load_table({table!r})" in str(err.value)
    assert isinstance(err.value, KeyError)  # callers catching KeyError still do


def _append(data_dir, table: str, *rows: str) -> int:
    """Append rows to a name table of the copy; the line number of the first."""
    path = data_dir / "reference" / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "".join(rows), encoding="utf-8")
    return text.count("\n") + 1


def test_one_name_claimed_by_two_countries_is_refused_at_its_row(data_copy):
    line = _append(data_copy, "country_aliases", "Ruthenia,UKR,a test,\n", "Ruthenia,POL,a test,\n")
    problem = refused(data_copy, "country_aliases.csv", line + 1, "name", "Ruthenia", "names both UKR")
    assert "POL" in problem.message and f"line {line}" in problem.message  # the row it clashes with


def test_a_demonym_that_is_a_country_s_own_name_is_refused_at_its_row(data_copy):
    line = _append(data_copy, "demonyms", "Georgia,USA\n")
    problem = refused(data_copy, "demonyms.csv", line, "form", "Georgia", "names both GEO")
    assert "country_converter" in problem.message


def test_every_clash_is_reported_with_the_other_checks(data_copy):
    first = _append(data_copy, "country_aliases", "Ruthenia,UKR,a test,\n", "Ruthenia,POL,a test,\n", "Moscovy,RUS,a test,\n")
    _append(data_copy, "demonyms", "Moscovy,UKR\n")
    with pytest.raises(TableError) as err:
        tables.load_table("bilateral", data_copy)
    clashes = sorted((p.file, p.line, p.column, p.value) for p in err.value.problems)
    lines = (data_copy / "reference" / "demonyms.csv").read_text(encoding="utf-8").count("\n")
    assert clashes == [
        ("data/reference/country_aliases.csv", first + 1, "name", "Ruthenia"),
        ("data/reference/demonyms.csv", lines, "form", "Moscovy"),
    ]


def test_the_proofs_rows_are_what_to_dict_gives_them_types_and_missing_values_included():
    """The proofs read rows through ``schemas.records`` (faster than ``to_dict``): the same values, of the same types."""
    import math

    import numpy as np
    import pandas as pd

    from belarus_fp.archive.schemas import records

    def same(a, b):
        return type(a) is type(b) and ((isinstance(a, float) and math.isnan(a) and math.isnan(b)) or a == b)

    odd = pd.DataFrame(
        {
            "number": [1.0, np.nan],
            "text": ["a", None],
            "whole": pd.array([1, None], dtype="Int64"),
            "decimal": pd.array([0.5, None], dtype="Float64"),
            "mixed": ["x", 3],
            "flag": pd.array([True, None], dtype="boolean"),
        }
    )
    for name, frame in [*tables.load_all().items(), ("odd", odd), ("no rows", odd.iloc[:0])]:
        expected, got = frame.to_dict("records"), records(frame)
        assert len(got) == len(expected), name
        for want, row in zip(expected, got, strict=True):
            assert list(row) == list(want) and all(same(row[c], want[c]) for c in want), (name, want, row)


def test_the_quick_readings_of_a_line_give_what_the_field_by_field_reading_gives():
    """parse_csv splits a line without a double quote at its commas, and hands well-formed quoted lines to the csv
    module; on random lines (quotes, commas, line ends, odd spaces) both give what the field-by-field reading does."""
    import random
    import re

    from belarus_fp.archive import reading

    def by_fields(text):
        lines = re.split(r"\r\n|\n|\r", text)  # the three line ends, and no other
        if lines[-1] == "":
            lines.pop()
        records, problems = [], []
        for number, line in enumerate(lines, start=1):
            values, problem = reading._quoted_line(line)
            if problem is None:
                records.append((number, values))
            else:
                problems.append((number, f"#{len(values)}", line[problem[1] :], problem[0]))
        return records, problems

    pieces = ["a", "é", ",", ",", '"', '"', '""', "\n", "\r", "\r\n", " ", "\u00a0", "\u2028", "\x85", "\x0b", "\x0c", "\x1c", "\x00", "\t"]
    rng = random.Random(7)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(5_000)]
    texts.append('a,"' + "x" * 200_000 + '",b\n')  # beyond the csv module's field size limit
    for text in texts:
        records, problems = reading.parse_csv(text, "t.csv")
        assert (records, [(p.line, p.column, p.value, p.message) for p in problems]) == by_fields(text), repr(text)
