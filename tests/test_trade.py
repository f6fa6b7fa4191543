"""belarus_fp.analysis.trade: the shares table's arithmetic against the facts table, balances, statements, regional roles."""

import pandas as pd
import pytest

from belarus_fp.analysis import trade
from belarus_fp.archive import countries
from belarus_fp.archive.tables import load_table
from belarus_fp.archive.texts import priorities, review_2013


@pytest.fixture(scope="module")
def facts():
    return load_table("facts")


@pytest.fixture(scope="module")
def shares(facts):
    return trade.shares_table(facts)


def _stated(facts, metric, subject, unit):
    """Independent selection (not through facts.find), so the tests do not trust the helper they test."""
    rows = facts[(facts["metric"] == metric) & (facts["subject"] == subject) & (facts["unit"] == unit)]
    assert len(rows) == 1, (metric, subject, unit)
    return rows.iloc[0]


def test_derived_total_times_stated_share_is_the_stated_russia_turnover(facts, shares):
    turnover = _stated(facts, "trade_turnover", "RUS", "usd_bn")
    share = _stated(facts, "share_of_foreign_trade", "RUS", "percent")
    total = shares.loc["total", "value_usd_bn"]
    assert total * float(share["value"]) / 100 == pytest.approx(float(turnover["value"]))
    assert shares.loc["RUS", "value_usd_bn"] == float(turnover["value"])
    assert shares.loc["RUS", "share_pct"] == float(share["value"])


def test_us_share_is_a_lower_bound_of_the_stated_turnover_over_the_total(facts, shares):
    usa = _stated(facts, "trade_turnover", "USA", "usd_bn")
    assert usa["qualifier"] == "lower_bound"
    row = shares.loc["USA"]
    assert row["qualifier"] == "lower_bound"
    assert row["value_usd_bn"] == float(usa["value"])
    assert row["share_pct"] == pytest.approx(100 * float(usa["value"]) / shares.loc["total", "value_usd_bn"])
    assert row["share_derived"] and not row["value_derived"]


def test_shares_sum_to_100_and_values_to_the_total(shares):
    parts = shares.loc[["RUS", "USA", "others"]]
    assert parts["share_pct"].sum() == pytest.approx(100)
    assert parts["value_usd_bn"].sum() == pytest.approx(shares.loc["total", "value_usd_bn"])
    assert shares.loc["total", "share_pct"] == 100


def test_the_remainder_is_an_upper_bound_because_the_us_figure_is_a_lower_bound(shares):
    assert shares.loc["others", "qualifier"] == "upper_bound"
    assert shares.loc["others", "value_derived"] and shares.loc["others", "share_derived"]
    assert shares.loc["total", "value_derived"]
    assert not shares.loc["RUS", ["value_derived", "share_derived"]].any()


def test_arithmetic_column_shows_the_division(facts, shares):
    turnover = _stated(facts, "trade_turnover", "RUS", "usd_bn")
    assert shares.loc["total", "arithmetic"].startswith(f"total = {turnover['value_text']} / (")
    assert set(shares.loc["total", "fact_ids"].split(";")) == {
        _stated(facts, "trade_turnover", "RUS", "usd_bn")["fact_id"],
        _stated(facts, "share_of_foreign_trade", "RUS", "percent")["fact_id"],
    }


def test_rounding_range_brackets_the_total_and_keeps_the_us_bound(facts, shares):
    turnover = _stated(facts, "trade_turnover", "RUS", "usd_bn")
    share = _stated(facts, "share_of_foreign_trade", "RUS", "percent")
    low, high = trade.rounding_range(turnover, share)
    total = shares.loc["total", "value_usd_bn"]
    assert low < total < high
    # both are written with one decimal ("39.7", "49.5"): half a unit of the last digit is 0.05
    assert [len(v.split(".")[1]) for v in (turnover["value_text"], share["value_text"])] == [1, 1]
    t, s = float(turnover["value"]), float(share["value"])
    assert low == pytest.approx((t - 0.05) / ((s + 0.05) / 100))
    assert high == pytest.approx((t + 0.05) / ((s - 0.05) / 100))
    assert 100 * float(_stated(facts, "trade_turnover", "USA", "usd_bn")["value"]) / high < shares.loc["USA", "share_pct"]


@pytest.mark.parametrize("text, half", [("39.7", 0.05), ("196", 0.5), ("0.5", 0.05), ("426 140", 0.5), ("1.25", 0.005)])
def test_half_unit(text, half):
    assert trade.half_unit(text) == pytest.approx(half)


def test_shares_table_refuses_mixed_periods_and_impossible_totals(facts):
    other_year = facts.copy()
    other_year.loc[other_year["metric"] == "share_of_foreign_trade", "period"] = "2012"
    with pytest.raises(ValueError, match="different periods"):
        trade.shares_table(other_year)
    too_big = facts.copy()
    too_big.loc[(too_big["metric"] == "trade_turnover") & (too_big["subject"] == "USA"), "value"] = 1000.0
    with pytest.raises(ValueError, match="exceed the implied total"):
        trade.shares_table(too_big)


@pytest.mark.parametrize("share", [0, -1, 100.5])
def test_implied_total_refuses_impossible_shares(share):
    with pytest.raises(ValueError):
        trade.implied_total(10, share)


def test_with_sign():
    assert trade.with_sign(0.5, "lower_bound") == "≥ 0.5"
    assert trade.with_sign(40.0, "upper_bound") == "≤ 40.0"
    assert trade.with_sign(1.9, "approximate") == "≈ 1.9"
    assert trade.with_sign(300, "exact", 0) == "300"


def test_balances_are_the_trade_balance_facts_and_never_a_turnover(facts):
    bal = trade.balances(facts, load_table("groupings"))
    stated = facts[facts["metric"] == "trade_balance"]
    assert sorted(bal["fact_id"]) == sorted(stated["fact_id"])
    assert (bal["balance_usd_bn"].to_numpy() == stated.sort_values("fact_id")["value"].astype(float).to_numpy()).all()
    assert not set(bal["fact_id"]) & set(facts.loc[facts["metric"] == "trade_turnover", "fact_id"])


def test_statements_cover_every_trade_related_fact_except_the_shares(facts):
    table = trade.statements(facts, load_table("groupings"), load_table("organizations"))
    expected = facts[facts["topic"].isin(trade.STATEMENT_TOPICS) & ~facts["metric"].isin(trade.SHARE_METRICS)]
    assert sorted(table["fact_id"]) == sorted(expected["fact_id"])
    bounds = table[table["qualifier"] == "lower_bound"]
    assert bounds["as_stated"].str.startswith("≥ ").all()
    numbers = table[table["value"].notna()]
    assert (numbers["measured_in"] != "").all()


def test_statements_refuse_an_unlabelled_metric(facts):
    extra = facts[facts["fact_id"] == "r13-foreign-trade-partners"].assign(metric="brand_new_metric")
    with pytest.raises(KeyError, match="brand_new_metric"):
        trade.statements(pd.concat([facts, extra]))


def test_remainder_pct():
    assert trade.remainder_pct(95) == 5
    with pytest.raises(ValueError):
        trade.remainder_pct(101)


def test_every_trade_related_group_of_the_curated_table_has_a_vector_or_is_global():
    groupings = load_table("groupings")
    for group_id in sorted(set(groupings.loc[groupings["relation"].isin(trade.TRADE_RELATIONS), "group_id"])):
        vectors = trade.group_vectors(group_id)
        assert set(vectors) <= set(countries.VECTORS), group_id
    with pytest.raises(KeyError, match="no_such_group"):
        trade.group_vectors("no_such_group")


def test_regional_roles_count_each_country_once_per_relation_and_cover_the_grid():
    bilateral, groupings = load_table("bilateral"), load_table("groupings")
    roles = trade.regional_roles(bilateral, groupings)
    docs = set(bilateral["doc_id"]) | set(groupings["doc_id"])
    assert len(roles) == len(docs) * len(countries.VECTORS) * len(trade.TRADE_RELATIONS)
    # per document and relation, the vectors' counts add up to the distinct countries of the table
    for (doc, relation), count in roles.groupby(["doc_id", "relation"])["countries"].sum().items():
        rows = bilateral[(bilateral["doc_id"] == doc) & (bilateral["relation"] == relation)]
        assert count == rows["iso3"].nunique(), (doc, relation)
    russia = roles[(roles["doc_id"] == "review-2013") & (roles["vector"] == "russia") & (roles["relation"] == "trade")]
    assert russia["countries"].item() == 1 and russia["country_names"].item() == countries.name("RUS")


def test_regional_summary_counts_distinct_countries_not_relations():
    bilateral, groupings = load_table("bilateral"), load_table("groupings")
    summary = trade.regional_summary(bilateral, groupings)
    rows = bilateral[bilateral["relation"].isin(trade.TRADE_RELATIONS)]
    for doc in sorted(set(rows["doc_id"])):
        assert summary[("countries", doc)].sum() == rows.loc[rows["doc_id"] == doc, "iso3"].nunique()


def test_a_group_statement_naming_two_groups_in_one_sentence_counts_once():
    bilateral = pd.DataFrame(columns=["doc_id", "iso3", "relation"])
    groupings = pd.DataFrame(
        [
            ("d", "cis_region", "the CIS region", "trade", "q1"),
            ("d", "cis_excl_russia_plus_georgia", "the CIS region and Georgia", "trade", "q1"),
            ("d", "cis_countries", "CIS countries", "trade", "q2"),
            ("d", "foreign_trade_partners", "partners", "trade", "q3"),
        ],
        columns=["doc_id", "group_id", "name_in_text", "relation", "quote"],
    )
    roles = trade.regional_roles(bilateral, groupings).set_index(["vector", "relation"])
    assert roles.loc[("cis_eurasian", "trade"), "group_statements"] == 2
    assert roles["group_statements"].sum() == 2  # the global group belongs to no vector


def test_read_together_counts_what_the_tables_hold():
    bilateral, groupings = load_table("bilateral"), load_table("groupings")
    text = trade.read_together(bilateral, groupings)
    review = bilateral[(bilateral["doc_id"] == review_2013.DOC_ID) & bilateral["relation"].isin(trade.TRADE_RELATIONS)]
    page = bilateral[(bilateral["doc_id"] == priorities.DOC_ID) & (bilateral["relation"] == "traditional_partner")]
    assert f"trade roles country by country: {review['iso3'].nunique()} countries" in text
    assert f"{page['iso3'].nunique()} traditional partners" in text
    # the page's own words for its second list and its groups (it calls neither list "prospective", and its
    # trade statement in Europe is about "The European Union countries", not the EU)
    markets = bilateral[(bilateral["doc_id"] == priorities.DOC_ID) & (bilateral["relation"] == "prospective_partner")]
    assert f'{markets["iso3"].nunique()} "markets with a substantial potential"' in text
    assert "prospective" not in text and "the EU," not in text
    assert '"The European Union countries"' in text
    lists = bilateral[
        (bilateral["doc_id"] == priorities.DOC_ID) & bilateral["relation"].isin(["traditional_partner", "prospective_partner"])
    ]
    named = {v for v, label in countries.VECTOR_LABELS.items() if label in text.split("all in the regions ")[1].split(";")[0]}
    assert named == set(lists["iso3"].map(countries.vector))  # the regions of the two lists, computed
    without_belarus = bilateral.assign(iso3=bilateral["iso3"].where(bilateral["doc_id"] != review_2013.DOC_ID, "RUS"))
    assert "trade roles country by country: 1 countries" in trade.read_together(without_belarus, groupings)
