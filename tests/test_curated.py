"""The curated tables as a whole: schema documented, frictionless-valid, consistent, citable."""

import json
import re

import pytest

from belarus_fp import cite, load_table, paths
from belarus_fp.analysis.checks import consistency_checks
from belarus_fp.archive import sources, tables
from belarus_fp.archive.tables import datapackage, table_names

TABLES = table_names()


def test_every_vocabulary_value_is_defined_in_the_curated_readme():
    readme = (paths.CURATED / "README.md").read_text(encoding="utf-8")
    missing = [
        f"{res['name']}.{field['name']}={value}"
        for res in datapackage()["resources"]
        for field in res["schema"]["fields"]
        if field["name"] != "doc_id"  # the manifest's ids: test_doc_id_vocabulary_is_the_manifest
        for value in field.get("constraints", {}).get("enum", [])
        if f"`{value}`" not in readme
    ]
    assert not missing, f"values of datapackage.json not defined in data/curated/README.md: {missing}"


def test_doc_id_vocabulary_is_the_manifest():
    for res in datapackage()["resources"]:
        field = next(f for f in res["schema"]["fields"] if f["name"] == "doc_id")
        assert field["constraints"]["enum"] == sources.doc_ids()


def test_frictionless_validates_the_data_package():
    """What `frictionless validate data/curated/datapackage.json` runs, called in-process (a subprocess costs seconds)."""
    import frictionless

    report = frictionless.validate(str(paths.CURATED / "datapackage.json")).to_dict()
    assert report["valid"], json.dumps(report)[:2000]
    assert {task["name"] for task in report["tasks"]} == set(TABLES)


def test_every_quote_is_in_its_document_and_every_number_in_its_quote():
    facts = load_table("facts")
    for line, row in facts.iterrows():
        assert sources.contains(row["quote"], row["doc_id"]), line
        assert sources.normalize(row["value_text"]) in sources.normalize(row["quote"]), line
    numeric = facts[facts["value"].notna()]
    # a number as digits must be in the quote as digits too (thousands may be spaced)
    for line, row in numeric.iterrows():
        digits = re.sub(r"\D", "", row["value_text"])
        if digits:
            assert digits in re.sub(r"\D", "", row["quote"]), line


def test_both_documents_are_covered():
    for name in TABLES:
        frame = load_table(name)
        if name not in ("organizations", "speakers"):  # speakers: the UN statements only (tests/test_speakers.py)
            assert set(frame["doc_id"]) >= set(sources.doc_ids(collection=sources.MINISTRY)), name


def test_every_consistency_check_holds():
    """Each check named with its whole and parts when it fails (one test: computing them at collection cost
    every test process a load of every table)."""
    checks = consistency_checks()
    assert len(checks) > 0
    failed = [f"{row.check}: whole {row.whole}, parts {row.parts} ({row.how})" for row in checks.itertuples() if not row.holds]
    assert not failed, "\n".join(failed)


def test_readme_reports_the_consistency_checks_as_computed():
    from belarus_fp.analysis.checks import markdown_table

    assert markdown_table() in (paths.ROOT / "README.md").read_text(encoding="utf-8"), "README's check table is stale"


def test_cite_gives_value_document_paragraph_and_quote():
    c = cite("r13-russia-trade-turnover")
    assert c.value == 39.7 and c.unit == "usd_bn" and c.doc_id == "review-2013"
    para = sources.paragraphs("review-2013")[c.paragraph - 1]
    assert c.quote in para and "39.7" in c.quote
    assert "Ministry of Foreign Affairs" in c.footnote() and f"paragraph {c.paragraph}" in c.footnote()
    assert str(c).startswith("trade turnover: 39.7 USD bn (2013).")


def test_cite_keeps_a_lower_bound_a_lower_bound():
    assert str(cite("r13-usa-trade-turnover")).startswith("trade turnover: more than 0.5")


def test_cite_unknown_fact_suggests_near_ids():
    with pytest.raises(KeyError, match="r13-russia-trade-turnover"):
        cite("r13-russia-trade-turnovr")


def test_agreement_stage_agrees_with_the_verb_of_the_quote():
    """in_force rows say the agreement became effective; signed rows say it was signed or concluded."""
    bilateral = load_table("bilateral")
    staged = bilateral[bilateral["stage"] != ""]
    assert set(staged["stage"]) == {"signed", "in_force"}
    for line, row in staged.iterrows():
        quote = row["quote"].lower()
        in_force = "became effective" in quote or "entered into force" in quote
        assert in_force == (row["stage"] == "in_force"), (line, row["stage"], row["quote"][:100])


def test_every_column_has_the_dtype_of_its_field_type():
    """validate() builds string columns as str itself (pandera checks only the numeric dtypes): every
    loaded column has its field's type."""
    expected = {"string": "str", "number": "Float64", "integer": "Int64"}
    for name, frame in tables.load_all().items():
        for field in tables.resource(name)["schema"]["fields"]:
            assert str(frame[field["name"]].dtype) == expected[field["type"]], (name, field["name"], frame[field["name"]].dtype)
