"""belarus_fp.analysis.footprint: relation tiers, agreement stages, counts per vector, UN share, the arc."""

import pandas as pd
import pytest

from belarus_fp.analysis import footprint
from belarus_fp.archive import countries
from belarus_fp.archive.tables import load_table, resource
from belarus_fp.archive.texts import priorities, review_2013


def _rows(*rows):
    return pd.DataFrame(rows, columns=["doc_id", "iso3", "relation", "claim", "quote"])


def test_every_relation_of_the_vocabulary_has_exactly_one_tier():
    field = next(f for f in resource("bilateral")["schema"]["fields"] if f["name"] == "relation")
    vocabulary = set(field["constraints"]["enum"])
    listed = [r for _, relations in footprint.TIERS.values() for r in relations]
    assert len(listed) == len(set(listed)), "a relation is in two tiers"
    assert set(listed) == vocabulary


def test_strongest_kind_takes_the_first_tier_reached_and_ignores_plans():
    table = _rows(
        ("review-2013", "AAA", "dialogue", "achieved", "q"),
        ("review-2013", "AAA", "intergovernmental_commission", "achieved", "q"),
        ("review-2013", "BBB", "union_state", "planned", "q"),
        ("review-2013", "BBB", "trade", "achieved", "q"),
        ("priorities", "BBB", "union_state", "stated", "q"),
    )
    got = footprint.strongest_kind(table, "review-2013").set_index("iso3")["tier"]
    assert got.to_dict() == {"AAA": "commission", "BBB": "cooperation"}


def test_strongest_kind_of_the_curated_table_puts_russia_first():
    kinds = footprint.strongest_kind(load_table("bilateral"), "review-2013")
    assert kinds.set_index("iso3").loc["RUS", "tier"] == "integration"
    assert kinds["rank"].is_monotonic_increasing


def test_counts_by_vector_counts_distinct_countries_and_pairs():
    table = _rows(
        ("review-2013", "KAZ", "dialogue", "achieved", "q1"),
        ("review-2013", "KAZ", "dialogue", "achieved", "q2"),  # same pair, another quote
        ("review-2013", "KAZ", "trade", "achieved", "q"),
        ("review-2013", "ARM", "trade", "achieved", "q"),
        ("review-2013", "BRA", "trade", "achieved", "q"),
    )
    got = footprint.counts_by_vector(table)
    assert list(got.index) == countries.VECTORS
    assert got.loc["cis_eurasian", ("review-2013", "countries")] == 2
    assert got.loc["cis_eurasian", ("review-2013", "relations")] == 3
    assert got.loc["latin_america", ("review-2013", "relations")] == 1
    assert got.loc["africa"].sum() == 0


def test_counts_by_vector_add_up_to_the_table():
    bilateral = load_table("bilateral")
    got = footprint.counts_by_vector(bilateral)
    for doc, rows in bilateral.groupby("doc_id"):
        assert got[(doc, "countries")].sum() == rows["iso3"].nunique()
        assert got[(doc, "relations")].sum() == len(rows[["iso3", "relation"]].drop_duplicates())


def test_share_of_un():
    assert footprint.share_of_un(97, 194) == 50
    with pytest.raises(ValueError):
        footprint.share_of_un(1, 0)


def test_arc_marks_activity_and_refuses_a_country_on_both_lists():
    table = _rows(
        ("priorities", "CHN", "traditional_partner", "stated", "q"),
        ("priorities", "PER", "prospective_partner", "stated", "q"),
        ("review-2013", "CHN", "strategic_partnership", "achieved", "q"),
        ("review-2013", "POL", "dialogue", "achieved", "q"),
        ("review-2013", "YEM", "consular_assistance", "achieved", "q"),
    )
    got = footprint.arc(table).set_index("iso3")
    assert got.loc["CHN", "arc"] == "traditional" and got.loc["CHN", "active"]
    assert got.loc["PER", "arc"] == "prospective" and not got.loc["PER", "active"]
    assert got.loc["POL", "arc"] == "" and got.loc["POL", "active"]
    assert "YEM" not in got.index  # named only: neither on the arc nor active
    both = pd.concat([table, _rows(("priorities", "CHN", "prospective_partner", "stated", "q"))])
    with pytest.raises(ValueError, match="CHN"):
        footprint.arc(both)


def test_arc_lists_plans_apart_from_activity():
    bil = pd.DataFrame(
        {
            "doc_id": ["priorities", "priorities", "review-2013", "review-2013"],
            "iso3": ["AUS", "PER", "AUS", "PER"],
            "relation": ["prospective_partner", "prospective_partner", "embassy_planned", "mentioned"],
            "claim": ["target", "target", "planned", "stated"],
        }
    )
    out = footprint.arc(bil).set_index("iso3")
    assert not out.loc["AUS", "active"] and out.loc["AUS", "plans"] == "embassy_planned"
    assert not out.loc["PER", "active"] and out.loc["PER", "plans"] == ""


def _with_stage(*rows):
    return pd.DataFrame(rows, columns=["doc_id", "iso3", "relation", "claim", "stage", "quote"])


def test_arc_category_names_the_list_and_the_activity():
    arc = footprint.arc(load_table("bilateral"))
    assert set(arc["category"]) <= set(priorities.ARC_CATEGORIES.values())
    for row in arc.itertuples():
        assert row.category.startswith({"traditional": "Traditional", "prospective": "Prospective", "": "On neither"}[row.arc])
        assert row.category.endswith(", active in 2013") == row.active


def test_embassies_give_one_status_per_country_and_refuse_two():
    table = _rows(
        ("review-2013", "ETH", "embassy_opened", "achieved", "q1"),
        ("review-2013", "ETH", "embassy_opened", "achieved", "q2"),  # quoted twice: one row
        ("review-2013", "LAO", "embassy_planned", "planned", "q3"),
        ("review-2013", "RUS", "dialogue", "achieved", "q4"),
        ("priorities", "CUB", "embassy_considered", "target", "q5"),  # another document
    )
    out = footprint.embassies(table)
    assert dict(zip(out["iso3"], out["status"])) == {"ETH": "Embassy opened in 2013", "LAO": "Embassy planned for 2014"}
    table.loc[2, "iso3"] = "ETH"
    with pytest.raises(ValueError, match=r"two embassy statuses: \['ETH'\]"):
        footprint.embassies(table)


def test_visa_agreements_one_row_per_country_with_kind_and_stage():
    table = _with_stage(
        ("review-2013", "ARG", "visa_free_agreement", "achieved", "signed", "q1"),
        ("review-2013", "ARG", "visa_waiver_agreement", "achieved", "signed", "q2"),  # the first kind wins
        ("review-2013", "VNM", "visa_waiver_official_passports", "achieved", "in_force", "q3"),
    )
    out = footprint.visa_agreements(table)
    assert dict(zip(out["iso3"], out["label"])) == {
        "ARG": "visa-free travel: signed in 2013",
        "VNM": "visa waiver, diplomatic & official passports: in force in 2013",
    }


def test_visits_count_rows_per_country_and_direction():
    table = _rows(
        ("review-2013", "CHN", "high_level_visit_out", "achieved", "q1"),
        ("review-2013", "CHN", "high_level_visit_out", "achieved", "q2"),
        ("review-2013", "CHN", "high_level_visit_in", "achieved", "q3"),
        ("review-2013", "USA", "dialogue", "achieved", "q4"),
    )
    out = footprint.visits(table)
    assert out.to_dict("records") == [
        {"iso3": "CHN", "relation": "high_level_visit_in", "rows": 1},
        {"iso3": "CHN", "relation": "high_level_visit_out", "rows": 2},
    ]


def test_un_share_check_divides_the_stated_count_by_each_denominator():
    facts = load_table("facts")
    out = footprint.un_share_check(facts)
    count = facts.loc[facts["fact_id"] == review_2013.UN_SHARE_FACTS["count"], "value"].item()
    members = len(countries.un_members())
    assert out["members"].tolist() == [members, members - 1]
    assert out["share_pct"].tolist() == pytest.approx([100 * count / members, 100 * count / (members - 1)])
    stated = facts.loc[facts["fact_id"] == review_2013.UN_SHARE_FACTS["percent"], "value"].item()
    altered = facts.copy()
    altered.loc[altered["fact_id"] == review_2013.UN_SHARE_FACTS["percent"], "value"] = stated + 5
    assert footprint.un_share_check(facts)["agrees"].all() and not footprint.un_share_check(altered)["agrees"].any()
