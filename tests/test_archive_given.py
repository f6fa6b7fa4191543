"""A function given an archive reads that archive, not the clone's: each on a copy that differs from the clone.

The copies: the clone's data with one alias added to ``data/reference/country_aliases.csv`` (a common word read as
Tuvalu), or with ``historical_states.csv`` given a state the clone lacks (ZZH, Ruritania, in Africa), or with a
document only the copy's manifest lists, a field renamed in its ``datapackage.json``, a capital point added.
The package's modules are imported by the tests that use them, not at collection.
"""

import re
import shutil

import pandas as pd
import pytest

from belarus_fp import paths
from belarus_fp.archive import Archive, countries, sources
from belarus_fp.archive.tables import load_table

#: The code the added alias names: a state no early UN statement and no ministry text is read as naming.
ALIASED = "TUV"
#: Words one of which every statement and ministry text uses (the first found is made an alias of Tuvalu).
WORDS = ("peace", "people", "countries", "international", "development")


def _word_in(text: str) -> str:
    return next(w for w in WORDS if re.search(rf"(?<!\w){w}(?!\w)", text))


@pytest.fixture
def full_copy(data_copy):
    """data_copy with every name table of data/reference (the finder reads them all)."""
    shutil.copytree(paths.DATA / "reference", data_copy / "reference", dirs_exist_ok=True)
    return data_copy


def _alias(data, word: str) -> Archive:
    path = data / "reference" / "country_aliases.csv"
    path.write_text(path.read_text(encoding="utf-8") + f"{word},{ALIASED},a test,\n", encoding="utf-8")
    return Archive.from_data_dir(data)


@pytest.fixture
def ruritania(data_copy):
    path = data_copy / "reference" / "historical_states.csv"
    path.write_text(path.read_text(encoding="utf-8") + "ZZH,Ruritania,1900,1950,africa,,only in this copy\n", encoding="utf-8")
    return Archive.from_data_dir(data_copy)


# --- the gold-file scoring of analysis.mentions ----------------------------------------------------------------------


@pytest.fixture
def statement(full_copy):
    """(archive with an alias, doc_id, text) for the first UN statement."""
    doc = sources.doc_ids(collection="ungd")[0]
    text = sources.load_text(doc)
    return _alias(full_copy, _word_in(text)), doc, text


def test_entity_sets_and_scores_use_the_finder_of_the_archive_given(statement):
    from belarus_fp.analysis import mentions

    archive, doc, text = statement
    pair = ("country", ALIASED)
    assert pair in mentions.entity_sets({doc: text}, archive=archive)[doc]
    assert pair not in mentions.entity_sets({doc: text})[doc]
    gold = [{"doc_id": doc, "kind": "country", "iso3": ALIASED, "org_id": ""}]
    assert mentions.entity_scores(gold, {doc: text}, archive=archive).at["country", "matched"] == 1
    assert mentions.entity_scores(gold, {doc: text}).at["country", "matched"] == 0
    missed = mentions.entity_errors(gold, {doc: text})
    assert ALIASED in set(missed.loc[missed["error"] == "missed", "iso3"])
    assert ALIASED not in set(mentions.entity_errors(gold, {doc: text}, archive=archive)["iso3"])


def test_a_gold_file_is_scored_with_the_archive_s_texts_and_finder(statement, tmp_path):
    from belarus_fp.analysis import mentions

    archive, doc, _ = statement
    gold = tmp_path / "gold.csv"
    gold.write_text(f"doc_id,kind,iso3,org_id,name_in_text,quote,note\n{doc},country,{ALIASED},,x,x,\n", encoding="utf-8")
    assert mentions.score_gold_file(gold, archive=archive).at["country", "matched"] == 1
    assert mentions.score_gold_file(gold).at["country", "matched"] == 0


def test_a_gold_file_s_texts_are_read_from_the_archive_given(statement, tmp_path):
    from belarus_fp.analysis import mentions

    archive, doc, _ = statement
    gold = tmp_path / "gold.csv"
    gold.write_text(f"doc_id,kind,iso3,org_id,name_in_text,quote,note\n{doc},country,{ALIASED},,x,x,\n", encoding="utf-8")
    manifest = archive.manifest_path
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(f"\n{doc},", f"\n{doc}-moved,", 1), encoding="utf-8")
    with pytest.raises(sources.SourceError, match=re.escape(doc)):  # the copy no longer has it, the clone does
        mentions.score_gold_file(gold, archive=archive)


# --- the proposer --------------------------------------------------------------------------------------------------


def test_the_proposer_finds_names_with_the_finder_of_the_archive_given(full_copy):
    from belarus_fp.commands import propose_rules

    doc = sources.doc_ids(collection=sources.MINISTRY)[0]
    archive = _alias(full_copy, _word_in(" ".join(sources.paragraphs(doc))))
    codes = {row["iso3"] for row in propose_rules.propose(doc, archive.data)["bilateral"]}
    assert ALIASED in codes
    assert ALIASED not in {row["iso3"] for row in propose_rules.propose(doc)["bilateral"]}


# --- names and regions of a historical state -----------------------------------------------------------------------


def test_trade_names_and_places_a_historical_state_by_the_archive_given(ruritania):
    from belarus_fp.analysis import trade

    assert trade.subject_label("ZZH", archive=ruritania) == "Ruritania"
    with pytest.raises(KeyError, match="ZZH"):
        trade.subject_label("ZZH")
    bilateral = load_table("bilateral")
    row = bilateral[bilateral["relation"] == "trade"].iloc[[0]].assign(iso3="ZZH")
    roles = trade.regional_roles(pd.concat([bilateral, row]), load_table("groupings"), archive=ruritania)
    africa = roles[(roles["doc_id"] == row["doc_id"].item()) & (roles["vector"] == "africa") & (roles["relation"] == "trade")]
    assert "Ruritania" in africa["country_names"].item().split(", ")
    summary = trade.regional_summary(pd.concat([bilateral, row]), load_table("groupings"), archive=ruritania)
    base = trade.regional_summary(bilateral, load_table("groupings"))
    column = ("countries", row["doc_id"].item())
    assert summary.at["africa", column] == base.at["africa", column] + 1


def test_the_shares_table_checks_its_document_against_the_archive_given(tmp_path):
    from conftest import archive_with_documents

    from belarus_fp.analysis import trade

    archive = archive_with_documents(tmp_path, [{"doc_id": "synthetic-2014", "id_prefix": "s14"}])
    facts = load_table("facts")
    review = trade.shares_table(facts)
    synthetic = trade.shares_table(facts.assign(doc_id="synthetic-2014"), doc_id="synthetic-2014", archive=archive)
    assert synthetic["value_usd_bn"].tolist() == review["value_usd_bn"].tolist()


def test_framing_regions_and_names_are_the_archive_s(ruritania):
    from belarus_fp.analysis import framing

    assert framing.region("ZZH", ruritania) == countries.VECTOR_LABELS["africa"]
    assert framing.region("ZZH") == framing.ORGANISATIONS  # not a code the clone knows
    assert framing.partner_name("ZZH", archive=ruritania) == "Ruritania"
    assert framing.partner_name("ZZH") == "ZZH"
    bilateral = load_table("bilateral")
    row = bilateral.iloc[[0]].assign(iso3="ZZH")
    claims = framing.claims_by_kind(load_table("facts"), pd.concat([bilateral, row]), load_table("multilateral"), archive=ruritania)
    assert (claims["region"] == countries.VECTOR_LABELS["africa"]).any()


def test_a_citation_names_a_historical_state_by_its_archive(ruritania):
    from belarus_fp.archive import citations

    assert citations._name("ZZH", ruritania.data) == "Ruritania"
    assert citations._name("ZZH", None) == "ZZH"  # the clone's: neither a state nor an organisation it knows


def test_a_map_legend_names_home_by_the_archive_given(ruritania):
    from belarus_fp.viz import geo

    frame = pd.DataFrame({"c": ["a"]})
    labels = [h.get_label() for h in geo._legend_handles(frame, "c", {"a": "#000000"}, "ZZH", None, False, archive=ruritania)]
    assert labels == ["a", "Ruritania"]


def test_saved_proposals_are_scored_against_the_archive_given(data_copy, tmp_path):
    import csv

    from belarus_fp.commands import propose_scores

    manifest = data_copy / "raw" / "manifest.csv"
    with open(manifest, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows.append(rows[-1] | {"doc_id": "synthetic-2014", "label": "Synthetic", "id_prefix": "syn14"})  # the same file, another id
    with open(manifest, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    folder = tmp_path / "saved"
    (folder / "synthetic-2014").mkdir(parents=True)
    for name in ("facts", "bilateral", "multilateral"):  # the proposer found nothing: headers only
        (folder / "synthetic-2014" / f"{name}.csv").write_text("doc_id,status\n", encoding="utf-8")
    scores = propose_scores.score_saved_proposals(folder, ["synthetic-2014"], data_dir=data_copy)
    assert scores.loc[propose_scores.ENGAGEMENTS, "curated"] == 0


def test_region_shares_place_a_historical_state_by_the_archive_given(ruritania):
    from belarus_fp.analysis import emphasis

    found = pd.DataFrame({"kind": ["historical_state", "country"], "iso3": ["ZZH", "KEN"]})
    assert emphasis.region_shares(found, archive=ruritania)["africa"] == 1.0
    with pytest.raises(KeyError, match="ZZH"):
        emphasis.region_shares(found)


def test_a_missing_column_is_named_from_the_catalogue_of_the_archive_given(data_copy):
    from belarus_fp.analysis import MissingColumn, trade

    facts = load_table("facts").drop(columns="metric")
    with pytest.raises(MissingColumn, match="no column 'metric'"):
        trade.balances(facts)
    descriptor = data_copy / "curated" / "datapackage.json"
    descriptor.write_text(descriptor.read_text(encoding="utf-8").replace('"name": "metric"', '"name": "measure"'), encoding="utf-8")
    with pytest.raises(KeyError) as err:  # the copy's facts have no column 'metric': a plain KeyError, not the clone's hint
        trade.balances(facts, archive=Archive.from_data_dir(data_copy))
    assert not isinstance(err.value, MissingColumn)


@pytest.mark.slow  # draws the two-panel visits map (a few seconds)
def test_the_visits_map_names_and_centres_by_the_archive_given(ruritania):
    import matplotlib.pyplot as plt

    from belarus_fp.analysis import footprint
    from belarus_fp.archive import geodata
    from belarus_fp.viz import footprint as footprint_figures

    shutil.copytree(paths.EXTERNAL, ruritania.external, dirs_exist_ok=True)
    points = ruritania.external / geodata.POINTS
    points.write_text(points.read_text(encoding="utf-8") + "ZZH,Strelsau,20.0,10.0,stand_in,only in this copy\n", encoding="utf-8")
    visits = footprint.visits(load_table("bilateral"))
    visits = pd.concat([visits, visits.iloc[[0]].assign(iso3="ZZH")], ignore_index=True)
    located = geodata.join_iso3(visits, archive=ruritania)
    located["distance_km_derived"] = geodata.geodesic_km(located, archive=ruritania).round(-1)
    fig = footprint_figures.visits_map(located, footprint.VISIT_DIRECTIONS, archive=ruritania)
    try:
        assert "Ruritania" in {text.get_text() for ax in fig.axes for text in ax.texts}
    finally:
        plt.close(fig)


def test_a_proposed_section_s_region_is_the_archive_s_as_it_is_now(ruritania):
    from belarus_fp.commands import propose_rules

    found = [[("historical_state", "ZZH", "Ruritania", 0)] * 3]
    sections = propose_rules.propose_sections(["Ruritania, Ruritania and Ruritania."], "x", "x", found, archive=ruritania)
    assert [s["vector"] for s in sections] == ["africa"]
    path = ruritania.reference / "historical_states.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("1950,africa,", "1950,europe,"), encoding="utf-8")
    sections = propose_rules.propose_sections(["Ruritania, Ruritania and Ruritania."], "x", "x", found, archive=ruritania)
    assert [s["vector"] for s in sections] == ["europe"]
