"""One place per table: datapackage.json lists the tables, their columns, keys and references; a table
added there alone (data/curated/README.md, "Adding a table", step 1) is loaded, validated and cited."""

import csv
import json

import pytest

from belarus_fp import cite, load_all, load_table
from belarus_fp.archive import Archive, catalogue, citations, speakers, tables, vocabulary
from belarus_fp.errors import TableError

#: A table the archive does not have: countries an ally of Belarus is named with, by an id of its document.
PARTNERS = {
    "name": "partners",
    "path": "partners.csv",
    "profile": "tabular-data-resource",
    "format": "csv",
    "mediatype": "text/csv",
    "encoding": "utf-8",
    "description": "A test's table: countries named with a claim.",
    "dialect": {"delimiter": ",", "quoteChar": '"'},
    "schema": {
        "fields": [
            {
                "name": "partner_id",
                "type": "string",
                "description": "Stable id.",
                "documentPrefix": True,
                "constraints": {"unique": True, "pattern": "^(r13|pri)-[a-z0-9-]+$", "required": True},
            },
            {"name": "doc_id", "type": "string", "description": "Document.", "vocabulary": "doc_id", "constraints": {"required": True}},
            {"name": "iso3", "type": "string", "description": "The country.", "refersTo": ["countries"], "constraints": {"required": True}},
            {"name": "org_id", "type": "string", "description": "An organisation, if any.", "refersTo": ["organizations.org_id"]},
            {
                "name": "claim",
                "type": "string",
                "description": "What the text claims.",
                "vocabulary": "claim",
                "constraints": {"required": True},
            },
            {"name": "quote", "type": "string", "description": "Verbatim passage.", "constraints": {"required": True}},
        ],
        "missingValues": [""],
        "primaryKey": "partner_id",
    },
}
ROWS = [
    {
        "partner_id": "r13-ally-russia",
        "doc_id": "review-2013",
        "iso3": "RUS",
        "org_id": "",
        "claim": "stated",
        "quote": "Its efforts were concerted with ally countries, first of all, Russia.",
    }
]


def add_partners(data_dir, rows=ROWS):
    """Step 1 of the checklist on a copy: the CSV, and its resource in datapackage.json (enums written as
    ``python -m belarus_fp.vocabulary --write`` writes them)."""
    path = data_dir / "curated" / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    package["resources"].append(PARTNERS)
    package = vocabulary.with_enums(package, Archive.from_data_dir(data_dir))
    path.write_text(vocabulary.datapackage_text(package), encoding="utf-8")
    with open(data_dir / "curated" / "partners.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, [f["name"] for f in PARTNERS["schema"]["fields"]], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_a_table_added_to_datapackage_json_is_loaded_validated_and_cited(data_copy):
    add_partners(data_copy)
    assert tables.table_names(data_copy)[-1] == "partners"
    frames = load_all(data_copy)
    assert list(frames["partners"]["partner_id"]) == ["r13-ally-russia"]
    field = next(f for f in tables.resource("partners", data_copy)["schema"]["fields"] if f["name"] == "claim")
    assert field["constraints"]["enum"] == list(vocabulary.values("claim"))
    citation = cite("r13-ally-russia", table="partners", data_dir=data_copy)
    assert citation.paragraph > 0 and citation.quote.startswith("Its efforts") and citation.statement == "partners r13-ally-russia"
    assert citation.label == "partners r13-ally-russia"  # its key's names from the copy's catalogue, not the clone's
    assert tables.table_names() == tables.table_names(Archive.default().data)  # the clone's own archive is unchanged
    with pytest.raises(ValueError, match="no table 'partners'"):
        load_table("partners")


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("iso3", "RUX", "unknown ISO3 code"),
        ("org_id", "NOSUCHORG", "unknown org_id (not in organizations.csv)"),
        ("claim", "done", "not in the vocabulary"),
        ("partner_id", "pri-ally-russia", "the prefix of 'review-2013' is 'r13'"),
        ("quote", "Its efforts were concerted with ally countries, first of all, Rusia.", "not in document"),
    ],
)
def test_an_added_table_is_held_to_its_description(data_copy, column, value, message):
    add_partners(data_copy, [{**ROWS[0], column: value}])
    with pytest.raises(TableError) as err:
        load_table("partners", data_copy)
    hits = [p for p in err.value.problems if p.file == "data/curated/partners.csv" and p.line == 2 and p.column == column]
    assert hits and message in hits[0].message, str(err.value)


def test_loading_a_table_loads_the_tables_it_refers_to():
    tables_of = Archive.default().catalogue()
    assert tables_of.needed("facts") == {"facts", "organizations", "groupings"}
    assert tables_of.needed("multilateral") == {"multilateral", "organizations"}
    assert tables_of.needed("bilateral") == {"bilateral"}
    assert tables_of["bilateral"].country_column == "iso3" and tables_of["groupings"].country_column is None
    assert tables_of["facts"].prefixed == ("fact_id",) and tables_of["speakers"].may_be_empty


def test_a_reference_to_no_table_is_refused(data_copy):
    path = data_copy / "curated" / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    field = next(f for f in package["resources"][0]["schema"]["fields"] if f["name"] == "subject")
    field["refersTo"] = ["countries", "organisations.org_id"]
    path.write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(TableError, match=r"facts.subject: refers to organisations.org_id, no column of a table"):
        load_table("facts", data_copy)


def test_every_list_of_tables_in_the_code_is_datapackage_jsons():
    """The names that remain in code, keyed by table, are tables of datapackage.json (and the statements cover them all)."""
    from belarus_fp.analysis import TABLE_PARAMETERS
    from belarus_fp.commands import propose

    names = set(tables.table_names())
    assert set(citations.STATEMENTS) | {"facts"} == names  # facts: stated by its number
    assert set(TABLE_PARAMETERS) <= names and set(propose.TABLES) <= names and speakers.NAME in names


def test_the_catalogue_is_read_again_when_the_file_changes(data_copy):
    archive = Archive.from_data_dir(data_copy)
    before = archive.catalogue()
    assert archive.catalogue() is before  # cached on the file's bytes
    add_partners(data_copy)
    assert "partners" in archive.catalogue() and "partners" not in before


def test_archive_of_takes_an_archive_or_a_data_folder(data_copy, tmp_path):
    assert Archive.of(data_copy) == Archive.from_data_dir(data_copy) == Archive.of(str(data_copy))
    with pytest.raises(ValueError, match=r"a documents folder \(raw/\), not a data/ folder: .*its data/ folder"):
        Archive.of(data_copy / "raw")  # the old raw_dir=
    (tmp_path / "elsewhere").mkdir()
    with pytest.raises(ValueError, match="not a data/ folder"):
        Archive.of(tmp_path / "elsewhere")
    with pytest.raises(TypeError, match="takes an Archive"):
        Archive.of(3)


def test_unsafe_patterns_are_named():
    assert catalogue.unsafe_pattern("(a+)+") and catalogue.unsafe_pattern("^[A-Z]{3}$") is None
