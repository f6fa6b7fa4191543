"""speakers.csv: the corpus's recorded speakers, kept exactly and normalised; every rule of the loader refused by name."""

import csv

import pytest
from test_tables_bad_input import refused, rewrite, set_cell

from belarus_fp import cite, paths
from belarus_fp.archive import sources, speakers, tables
from belarus_fp.archive.tables import TableError

METADATA = paths.DATA.joinpath(*speakers.METADATA)


def metadata_rows():
    with open(METADATA, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def row_of(doc_id: str) -> int:
    """Row number (0 = CSV line 2) of a statement in speakers.csv."""
    frame = tables.load_table("speakers")
    return int(frame.index[frame["doc_id"] == doc_id][0]) - 2


@pytest.fixture(scope="module")
def table():
    return tables.load_table("speakers")


def test_the_real_table_loads_one_row_per_statement(table):
    assert list(table["doc_id"]) == sources.doc_ids(collection=sources.UNGD)
    assert len(table) == 79 and table["doc_id"].is_unique


def test_the_recorded_values_are_the_corpus_metadata_exactly(table):
    """Read independently of the loader: the manifest's file -> the metadata's row, byte for byte, spaces included."""
    files = {row["doc_id"]: row["file"] for row in sources.manifest()}
    record = {row["file"]: row for row in metadata_rows()}
    for _, row in table.iterrows():
        for column in speakers.RECORDED:
            assert row[column] == record[files[row["doc_id"]]][column], (row["doc_id"], column)
    padded = table.set_index("doc_id")
    assert padded.at["ungd-1948", "speaker_as_recorded"] == "Mr. KISELEV "
    assert padded.at["ungd-1989", "speaker_as_recorded"] == " GURINOVICH "
    assert padded.at["ungd-2021", "post_as_recorded"] == "Minister of Foreign Affairs "


def test_persons_and_offices_are_normalised(table):
    by_doc = table.set_index("doc_id")
    assert set(by_doc.loc[["ungd-1946", "ungd-1948", "ungd-1951", "ungd-1962"], "person"]) == {"Kiselev"}
    assert set(by_doc.loc[["ungd-2017", "ungd-2018"], "person"]) == {"Vladimir Makei"}
    assert by_doc.at["ungd-2004", "person"] == "Sergei Martynov"
    assert table["person"].nunique() == 18
    offices = set(table["office"]) - {""}
    assert offices == {
        "President",
        "Prime Minister",
        "Deputy Prime Minister",
        "Minister for Foreign Affairs",
        "Representative to the United Nations",
        "Chair of the delegation",
    }
    no_post = table["post_as_recorded"].str.strip() == ""
    assert (table.loc[no_post, "office"] == "").all() and (table.loc[~no_post, "office"] != "").all()
    assert set(table.loc[no_post, "basis"]) <= {"metadata_no_post", "text_no_post"}
    assert set(table.loc[~no_post, "basis"]) == {"metadata"}


def test_every_quote_is_verbatim_in_its_statement_and_names_the_speaker(table):
    quoted = table[table["quote"] != ""]
    assert set(quoted["doc_id"]) == {"ungd-1948", "ungd-1949"} and set(quoted["basis"]) == {"text_no_post"}
    for _, row in quoted.iterrows():
        assert sources.contains(row["quote"], row["doc_id"]) and "KISELEV" in row["quote"]
    assert (table.loc[table["quote"] == "", "basis"] != "text_no_post").all()


def test_a_row_cites_its_statement():
    c = cite("ungd-1948", table="speakers")
    assert c.statement == "Speaker: Kiselev, no post recorded (named in the statement)"
    assert c.paragraph >= 1 and c.footnote().endswith(f'"{c.quote}"')
    c = cite("ungd-2013", table="speakers")
    assert c.statement.startswith("Speaker: Vladimir Makei, Minister for Foreign Affairs")
    assert c.paragraph == 0 and c.quote == "" and c.footnote().endswith(c.url)


@pytest.mark.parametrize(
    "doc_id, column, value, message",
    [
        ("ungd-1948", "speaker_as_recorded", "Mr. KISELEV", "they differ only in spaces"),
        ("ungd-1953", "country_as_recorded", "Byelorussian Soviet Socialist Republic", "'Byelorussian Soviet Socialist Repulic'"),
        ("ungd-2005", "post_as_recorded", "Minister for Foreign Affairs", "'Minister for Foregn Affairs'"),
        ("ungd-2018", "speaker_as_recorded", "Mr. Vladimir Makei", "has 'Mr. Vladamir Makei'"),
    ],
)
def test_a_wrong_recorded_value_is_refused_naming_file_line_and_column(data_copy, doc_id, column, value, message):
    row = row_of(doc_id)
    rewrite(data_copy, "speakers", set_cell("speakers", row, column, value))
    problem = refused(data_copy, "speakers.csv", row + 2, column, value, "not the corpus's record")
    assert "data/external/ungd-belarus/metadata.csv line" in problem.message and message in problem.message


def test_a_missing_statement_is_refused(data_copy):
    row = row_of("ungd-1950")

    def drop(header, rows):
        return header, rows[:row] + rows[row + 1 :]

    rewrite(data_copy, "speakers", drop)
    problem = refused(data_copy, "speakers.csv", 0, "doc_id", "ungd-1950", "no row for the UN statement ungd-1950 (BLR_05_1950.txt)")
    assert "exactly one row" in problem.message


def test_a_second_row_for_a_statement_is_refused(data_copy):
    def duplicate(header, rows):
        return header, [*rows, list(rows[5])]

    rewrite(data_copy, "speakers", duplicate)
    refused(data_copy, "speakers.csv", 81, "doc_id", "ungd-1951", "duplicate")


def test_a_row_for_a_document_that_is_not_a_un_statement_is_refused(data_copy):
    rewrite(data_copy, "speakers", set_cell("speakers", row_of("ungd-1950"), "doc_id", "review-2013"))
    refused(data_copy, "speakers.csv", row_of("ungd-1950") + 2, "doc_id", "review-2013", "not a UN General Debate statement")


def test_a_quote_not_in_its_statement_is_refused(data_copy):
    row = row_of("ungd-1948")
    rewrite(data_copy, "speakers", set_cell("speakers", row, "quote", "Mr. KISELEV stated that the Charter had been signed in Paris"))
    refused(data_copy, "speakers.csv", row + 2, "quote", "in Paris", "not in document 'ungd-1948'")


def test_a_quote_that_does_not_name_the_speaker_is_refused(data_copy):
    row = row_of("ungd-1948")
    rewrite(data_copy, "speakers", set_cell("speakers", row, "person", "Gurinovich"))
    refused(data_copy, "speakers.csv", row + 2, "quote", "KISELEV", "does not name the speaker")


@pytest.mark.parametrize(
    "doc_id, column, value, message",
    [
        ("ungd-1950", "office", "Minister for Foreign Affairs", "must be empty where no post is recorded"),
        ("ungd-1950", "basis", "metadata", "needs a recorded post"),
        ("ungd-2013", "basis", "metadata_no_post", "needs no recorded post"),
        ("ungd-2013", "office", "", "required where a post is recorded"),
        ("ungd-2013", "quote", "the key challenge facing today’s world", "must be empty for basis 'metadata'"),
        ("ungd-2013", "office", "Foreign Minister", "not in the vocabulary"),
    ],
)
def test_a_row_its_basis_does_not_describe_is_refused(data_copy, doc_id, column, value, message):
    row = row_of(doc_id)
    rewrite(data_copy, "speakers", set_cell("speakers", row, column, value))
    refused(data_copy, "speakers.csv", row + 2, column, value, message)


def test_one_recorded_name_is_one_person_and_a_changed_name_says_why(data_copy):
    row = row_of("ungd-1947")  # recorded "Mr. Kiselev", as for 1946
    rewrite(data_copy, "speakers", set_cell("speakers", row, "person", "Kuzma Kiselev"))
    with pytest.raises(TableError) as err:
        tables.load_table("speakers", data_copy)
    columns = {(p.line, p.column) for p in err.value.problems}
    assert {(row + 2, "person"), (row + 2, "note")} <= columns
    assert "line 2 gives the same recorded value person 'Kiselev'" in str(err.value)


def test_padding_is_kept_only_in_the_recorded_columns(data_copy):
    row = row_of("ungd-1946")
    rewrite(data_copy, "speakers", set_cell("speakers", row, "person", "Kiselev "))
    refused(data_copy, "speakers.csv", row + 2, "person", "Kiselev ", "leading or trailing whitespace")


def test_an_edited_record_is_seen_and_a_missing_record_is_named(data_copy):
    tables.load_table("speakers", data_copy)  # a first load, cached
    path = data_copy.joinpath(*speakers.METADATA)
    path.write_bytes(path.read_bytes().replace(b",Mr. MAZUROV,", b",Mr. Mazurov,", 1))
    row = row_of("ungd-1960")
    refused(data_copy, "speakers.csv", row + 2, "speaker_as_recorded", "Mr. MAZUROV", "has 'Mr. Mazurov'")
    path.unlink()
    refused(data_copy, "metadata.csv", 0, "(file)", "", "file is missing")


def test_a_header_only_table_is_the_statements_missing_not_a_broken_file(data_copy):
    """The table may be empty (an archive without UN statements: the resource's ``mayBeEmpty`` in datapackage.json); here every statement is named."""
    path = data_copy / "curated" / "speakers.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    with pytest.raises(TableError) as err:
        tables.load_table("speakers", data_copy)
    missing = [p.value for p in err.value.problems if p.message.startswith("no row for the UN statement")]
    assert missing == sources.doc_ids(collection=sources.UNGD) and len(err.value.problems) == 79
