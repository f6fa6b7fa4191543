"""One vocabulary: datapackage.json's enums are generated from belarus_fp.archive.vocabulary, every value has a
label and a definition in data/curated/README.md, and the analysis modules use its orders and labels."""

import re

import pytest

from belarus_fp import paths
from belarus_fp.analysis import emphasis, framing, multilateral, trade
from belarus_fp.archive import Archive, countries, vocabulary
from belarus_fp.archive.catalogue import DATAPACKAGE
from belarus_fp.archive.tables import datapackage

README = (paths.CURATED / "README.md").read_text(encoding="utf-8")


def test_datapackage_enums_are_generated_from_the_vocabulary():
    committed = (paths.CURATED / DATAPACKAGE).read_text(encoding="utf-8")
    assert committed == vocabulary.datapackage_text(vocabulary.with_enums(datapackage())), (
        "datapackage.json's enums differ from belarus_fp.archive.vocabulary: run `python -m belarus_fp.vocabulary --write`"
    )


def _vocabulary_columns() -> dict:
    """(table, column) -> vocabulary, as datapackage.json's fields name them (doc_id: the manifest's)."""
    return {
        (table.name, column): name for table in Archive.default().catalogue().tables.values() for column, name in table.vocabularies.items()
    }


def test_every_enum_column_has_a_vocabulary():
    enum_columns = {
        (res["name"], field["name"])
        for res in datapackage()["resources"]
        for field in res["schema"]["fields"]
        if "enum" in field.get("constraints", {})
    }
    assert enum_columns == set(_vocabulary_columns())
    assert set(_vocabulary_columns().values()) == {"doc_id", *vocabulary.LABELS}


def test_a_field_naming_no_vocabulary_is_refused():
    package = datapackage()
    broken = {
        "resources": [{**package["resources"][0], "schema": {"fields": [{"name": "topic", "type": "string", "vocabulary": "topics"}]}}]
    }
    with pytest.raises(ValueError, match="facts.topic names no vocabulary 'topics'"):
        vocabulary.with_enums(broken)


def _readme_sections() -> dict[str, str]:
    """Heading -> text of each ``###`` section of the README's Vocabularies part."""
    part = README.split("## Vocabularies", 1)[1].split("\n## ", 1)[0]
    return {m.group(1): m.group(2) for m in re.finditer(r"^### ([^\n]+)\n(.*?)(?=^### |\Z)", part, flags=re.M | re.S)}


@pytest.mark.parametrize("name", sorted(vocabulary.LABELS))
def test_every_value_has_a_label_and_a_definition_in_the_curated_readme(name):
    labels = vocabulary.LABELS[name]
    assert all(isinstance(text, str) and text.strip() for text in labels.values()), f"{name}: an empty label"
    assert len(set(labels.values())) == len(labels), f"{name}: two values share a label"
    columns = [column for (_, column), vocab in _vocabulary_columns().items() if vocab == name]
    sections = [text for heading, text in _readme_sections().items() if any(f"`{c}`" in heading or f".{c}`" in heading for c in columns)]
    assert sections, f"data/curated/README.md has no Vocabularies section for {name!r}"
    undefined = [value for value in labels if not any(f"`{value}`" in text for text in sections)]
    assert not undefined, f"{name}: values not defined in data/curated/README.md's section: {undefined}"


def test_label_of_an_unknown_value_names_the_vocabulary():
    with pytest.raises(KeyError, match="vocabulary 'claim'"):
        vocabulary.label("claim", "done")


def test_ordered_follows_the_vocabulary_and_puts_unknown_values_last():
    assert vocabulary.ordered("claim", {"stated", "zzz", "achieved"}) == ["achieved", "stated", "zzz"]


def test_the_analysis_modules_use_the_vocabulary():
    assert framing.CLAIM_ORDER == vocabulary.values("claim") and framing.CLAIM_LABELS is vocabulary.LABELS["claim"]
    assert framing.TERM_LABELS is vocabulary.LABELS["term"]
    assert multilateral.KIND_LABELS is vocabulary.LABELS["kind"]
    assert multilateral.ENGAGEMENT_ORDER == vocabulary.values("engagement")
    assert all(trade.RELATION_LABELS[r] == vocabulary.label("relation", r) for r in trade.TRADE_RELATIONS)
    assert countries.VECTOR_LABELS == {v: vocabulary.label("vector", v) for v in countries.VECTORS}
    assert emphasis.theme_order(["consular", "russia", "general"]) == ["general", "russia", "consular"]
    assert [v for v in vocabulary.values("vector") if v in countries.VECTORS] == countries.VECTORS  # the regions in the vocabulary's order


def test_every_qualifier_has_its_words_and_its_sign():
    from belarus_fp.archive import citations

    for rendering in (vocabulary.QUALIFIER_WORDS, vocabulary.QUALIFIER_SIGNS):
        assert list(rendering) == list(vocabulary.values("qualifier"))
    assert citations.QUALIFIER_WORDS is vocabulary.QUALIFIER_WORDS


def test_the_region_groups_are_regions_of_the_vocabulary():
    for group in (countries.EUROPE_AND_CIS, countries.EUROPE_AND_FSU, countries.SOUTH):
        assert set(group) <= set(countries.VECTORS)
    assert set(countries.EUROPE_AND_FSU) | set(countries.SOUTH) | {"north_america"} == set(countries.VECTORS)
