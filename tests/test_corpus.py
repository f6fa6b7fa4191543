"""The corpus analyses of notebook 08 (belarus_fp.analysis.corpus): eras, attention per statement and group,
organisations' first and last years, and what two documents' curated rows name."""

import pandas as pd
import pytest

from belarus_fp.analysis import corpus, mention_table, mentions, timelines
from belarus_fp.archive import countries, sources
from belarus_fp.archive.texts import review_2013, ungd


def _mentions(rows):
    """A mentions frame of (doc_id, year, kind, id, subject) rows: the id in ``iso3`` for a state, ``org_id`` for an organisation."""
    frame = pd.DataFrame(rows, columns=["doc_id", "year", "kind", "id", "subject"])
    is_org = frame["kind"] == "organization"
    frame["iso3"], frame["org_id"] = frame["id"].where(~is_org, ""), frame["id"].where(is_org, "")
    frame["paragraph"], frame["start"] = 1, range(len(frame))
    return frame.drop(columns="id")


STATEMENTS = pd.DataFrame(
    {"doc_id": ["ungd-1950", "ungd-2000", "ungd-2001"], "year": [1950, 2000, 2001], "words": [2000, 500, 1000]}
).assign(era=lambda f: f["year"].map(corpus.era))


def test_eras_cover_every_year_once():
    years = [y for _, first, last in ungd.ERAS for y in range(first, last + 1)]
    assert years == list(range(1946, 2025))
    with pytest.raises(ValueError):
        corpus.era(1945)


def test_every_attention_group_rests_on_the_repositorys_vectors():
    for _, vectors, codes in timelines.ATTENTION_GROUPS.values():
        assert set(vectors) <= set(countries.VECTORS)
        assert all(c in countries.known_iso3() for c in codes)
    assert timelines.ATTENTION_GROUPS["south"][1] == countries.SOUTH
    assert timelines.groups_of("SUN") == ["russia"]  # the Soviet Union has Russia's vector (historical_states.csv)
    assert timelines.groups_of("CHN") == ["china", "south"]
    assert timelines.groups_of("USA") == ["north_america"]


def test_groups_named_after_organisations_say_they_count_states():
    # the vocabulary's "CIS & Eurasian" and "Europe & EU" would read as the CIS and the EU, which country_attention never counts
    labels = {key: label for key, (label, _, _) in timelines.ATTENTION_GROUPS.items()}
    assert "EU" not in labels["europe"] and "states" in labels["europe"]
    assert labels["cis_eurasian"].endswith("states")


def test_country_attention_counts_distinct_states_without_belarus_and_keeps_silent_statements():
    mentions = _mentions(
        [
            ("ungd-1950", 1950, "country", "USA", False),
            ("ungd-1950", 1950, "country", "USA", False),
            ("ungd-1950", 1950, "historical_state", "SUN", False),
            ("ungd-1950", 1950, "country", "BLR", True),
            ("ungd-1950", 1950, "organization", "UN", False),
            ("ungd-2000", 2000, "country", "CHN", False),
        ]
    )
    out = timelines.country_attention(mentions, STATEMENTS).set_index("doc_id")
    assert out["countries"].to_dict() == {"ungd-1950": 2, "ungd-2000": 1, "ungd-2001": 0}
    assert out.at["ungd-1950", "per_1000_words"] == 1.0
    assert out.at["ungd-2000", "per_1000_words"] == 2.0
    assert out.loc["ungd-1950", ["russia", "north_america", "china"]].tolist() == [True, True, False]
    assert out.loc["ungd-2000", ["china", "south", "russia"]].tolist() == [True, True, False]
    assert not out.loc["ungd-2001", list(timelines.ATTENTION_GROUPS)].any()
    shares = timelines.group_shares(out.reset_index())
    assert list(shares.index) == ["1946–1990 (Byelorussian SSR)", "1994–2019"]
    assert shares.at["1994–2019", "china"] == 0.5 and shares.at["1946–1990 (Byelorussian SSR)", "russia"] == 1.0


def test_the_words_behind_a_count():
    mentions = _mentions(
        [
            ("ungd-1950", 1950, "historical_state", "SUN", False),
            ("ungd-1950", 1950, "country", "UKR", False),
            ("ungd-2000", 2000, "country", "RUS", False),
            ("ungd-2000", 2000, "country", "BLR", True),
            ("ungd-2000", 2000, "organization", "EAEU", False),
            ("ungd-2001", 2001, "organization", "EAEU", False),
            ("ungd-2001", 2001, "organization", "EAEU", False),
        ]
    )
    mentions["text"] = ["Soviet Union", "Ukrainian", "Russian", "Belarus", "Eurasian Economic Community", "EAEU", "Eurasian Economic Union"]
    all_docs = set(STATEMENTS["doc_id"])
    assert timelines.naming(mentions, all_docs, "SUN") == {"ungd-1950"}
    assert timelines.naming(mentions, all_docs, "BLR") == set()  # the speaker never counts
    assert timelines.group_words(mentions, all_docs - {"ungd-1950"}, "russia") == {"RUS": ["Russian"]}
    assert timelines.group_words(mentions, all_docs, "russia") == {"RUS": ["Russian"], "SUN": ["Soviet Union"]}
    assert timelines.quote_words(timelines.group_words(mentions, all_docs, "cis_eurasian")) == 'UKR: "Ukrainian"'
    assert timelines.quote_words({}) == "none"
    assert timelines.first_named(mentions, "EAEU") == {2000: "Eurasian Economic Community", 2001: "EAEU"}
    assert timelines.first_named(mentions, "EAEU", besides=("Eurasian Economic Community",)) == {2001: "EAEU"}
    counts = timelines.group_counts(timelines.country_attention(mentions, STATEMENTS))
    assert counts.loc["1994–2019", ["statements", "russia", "cis_eurasian"]].tolist() == [2, 1, 0]
    assert counts.loc["1946–1990 (Byelorussian SSR)", ["statements", "russia", "cis_eurasian"]].tolist() == [1, 1, 1]


def test_era_summary_counts_statements_and_words_in_era_order():
    out = corpus.era_summary(STATEMENTS.iloc[::-1])
    assert list(out.index) == ["1946–1990 (Byelorussian SSR)", "1994–2019"]
    assert out.loc["1994–2019"].tolist() == [2, 1500, 750]


def test_organization_spans_and_an_organisation_never_named():
    mentions = _mentions(
        [
            ("ungd-1950", 1950, "organization", "UN", False),
            ("ungd-2000", 2000, "organization", "UN", False),
            ("ungd-2000", 2000, "organization", "UN", False),
            ("ungd-2000", 2000, "country", "NATO", False),  # not an organisation row: ignored
        ]
    )
    out = timelines.organization_spans(mentions, ("UN", "NATO"))
    assert out.loc["UN", ["first", "last", "statements"]].tolist() == [1950, 2000, 2]
    assert out.at["UN", "name"] == "United Nations"
    assert out.at["NATO", "statements"] == 0 and pd.isna(out.at["NATO", "first"])


def test_every_main_organisation_has_a_name():
    names = timelines.organization_labels()
    assert all(o in names for o in ungd.MAIN_ORGANIZATIONS)


def test_excerpts_are_verbatim_and_first_and_last_come_from_the_derived_table():
    mentions = mention_table.load_mentions()
    out = timelines.first_and_last(mentions, ("UN", "CIS"))
    assert out["which"].tolist() == ["first", "last", "first", "last"]
    first_cis = out[(out["org_id"] == "CIS") & (out["which"] == "first")].iloc[0]
    assert first_cis["year"] == mentions.loc[mentions["org_id"] == "CIS", "year"].min()
    for _, row in out.iterrows():
        text = row["excerpt"].strip("…")
        assert row["text"] in text
        assert any(text in p for p in sources.paragraphs(row["doc_id"]))


def test_named_in_pair_splits_both_and_one_only():
    bilateral = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "iso3": ["USA", "CUB", "USA", "CRI"]})
    multilateral = pd.DataFrame({"doc_id": ["a", "b"], "org_id": ["UN", "UN"]})
    out = corpus.named_in_pair(bilateral, multilateral, "a", "b")
    assert out.loc["countries", ["both", "a only", "b only"]].tolist() == [1, 1, 1]
    assert out.at["countries", "both: codes"] == "USA" and out.at["countries", "b only: codes"] == "CRI"
    assert out.loc["organisations", ["both", "a only", "b only"]].tolist() == [1, 0, 0]


def test_wilson_interval():
    low, high = mentions.wilson_interval(60, 62)
    assert 0.88 < low < 0.9 and 0.99 < high <= 1.0
    assert mentions.wilson_interval(5, 5)[1] == 1.0
    assert mentions.wilson_interval(0, 10)[0] == 0.0
    assert all(x != x for x in mentions.wilson_interval(0, 0))  # NaN


def test_share_classes_are_closed_below():
    assert timelines.share_class(1.0) == timelines.share_class(0.5) == "50 % or more"
    assert timelines.share_class(0.4999) == timelines.share_class(0.25) == "25 % to under 50 %"
    assert timelines.share_class(0.1) == "10 % to under 25 %" and timelines.share_class(0.01) == "under 10 %"
    for bad in (0, 1.5):
        with pytest.raises(ValueError):
            timelines.share_class(bad)


def test_state_shares_count_statements_per_era_without_belarus_or_organisations():
    mentions = _mentions(
        [
            ("ungd-1950", 1950, "country", "USA", False),
            ("ungd-1950", 1950, "country", "USA", False),  # one statement, however often it names the state
            ("ungd-1950", 1950, "historical_state", "SUN", False),
            ("ungd-1950", 1950, "country", "BLR", True),
            ("ungd-2000", 2000, "country", "USA", False),
            ("ungd-2001", 2001, "country", "USA", False),
            ("ungd-2001", 2001, "country", "CHN", False),
            ("ungd-2001", 2001, "organization", "UN", False),
        ]
    )
    out = timelines.state_shares(mentions, STATEMENTS)
    assert out[["era", "iso3"]].values.tolist() == [
        ["1946–1990 (Byelorussian SSR)", "SUN"],  # era order, then share, then name: Soviet Union before United States
        ["1946–1990 (Byelorussian SSR)", "USA"],
        ["1994–2019", "USA"],
        ["1994–2019", "CHN"],
    ]
    usa = out[(out["era"] == "1994–2019") & (out["iso3"] == "USA")].iloc[0]
    assert (usa["statements"], usa["of"], usa["share"], usa["class"]) == (2, 2, 1.0, "50 % or more")
    assert out.set_index("iso3").loc["SUN", ["kind", "name"]].tolist() == ["historical_state", "Soviet Union"]
    assert out.loc[out["iso3"] == "CHN", "share"].item() == 0.5


def test_the_reviews_un_initiatives_beside_the_2013_statement_on_the_real_texts():
    from belarus_fp import load_table
    from belarus_fp.analysis import initiatives

    multilateral = load_table("multilateral")
    out = corpus.initiatives_beside("ungd-2013", multilateral, load_table("organizations"))
    assert list(dict.fromkeys(out["theme"])) == list(initiatives.UN_INITIATIVE_THEMES)
    raised = out.groupby(["theme", "doc_id"])["raised"].any().unstack()
    assert raised.loc["human trafficking"].all() and raised.loc["middle-income countries"].all()
    assert not raised.loc["UN energy agenda"].any() and not raised.loc["traditional family"].any()
    review = out[out["doc_id"] == review_2013.DOC_ID]
    curated = set(multilateral.loc[multilateral["doc_id"] == review_2013.DOC_ID, "quote"])
    assert set(review.loc[review["raised"], "quote"]) <= curated  # the review's quotes are its curated rows'
    statement = out[(out["doc_id"] == "ungd-2013") & out["raised"]]
    assert (statement["basis"] == "sentence").all()
    paras = sources.paragraphs("ungd-2013")
    for _, row in statement.iterrows():  # each a whole sentence of its paragraph, verbatim, matching its theme
        assert row["quote"] in [s for _, s in sources.sentences(paras[row["paragraph"] - 1])]
        assert initiatives.themes_of(row["quote"]) == [row["theme"]]
    trafficking = statement[statement["theme"] == "human trafficking"]
    assert trafficking["paragraph"].tolist() == [23] and "trafficking in persons" in trafficking["quote"].item()
    assert out.loc[~out["raised"], "quote"].eq("").all() and out.loc[~out["raised"], "paragraph"].isna().all()


def test_sentences_matching_gives_whole_sentences_with_their_paragraph_on_the_real_texts():
    sanctions = corpus.sentences_matching("ungd-2013", r"sanction")
    assert [n for n, _ in sanctions] == [14] and "Belarus or Cuba" in sanctions[0][1]
    paras = sources.paragraphs("ungd-2013")
    assert sanctions[0][1] in [s for _, s in sources.sentences(paras[13])]  # whole and verbatim
    energy = corpus.sentences_matching(review_2013.DOC_ID, r"\benergy\b")
    assert len(energy) == 3 and [n for n, _ in energy] == sorted(n for n, _ in energy)  # the text's order
    assert corpus.sentences_matching("ungd-2013", r"coercive measures") == []  # the page's words: not in the statement


def test_and_list():
    assert [corpus.and_list(x) for x in (["A"], ["A", "B"], ["A", "B", "C"])] == ["A", "A and B", "A, B and C"]
    with pytest.raises(ValueError):
        corpus.and_list([])


def test_review_activity_outside_themes_on_the_real_tables():
    from belarus_fp import load_table
    from belarus_fp.analysis import initiatives as ml

    out = corpus.review_activity_outside_themes(load_table("multilateral"), load_table("organizations"))
    assert out["paragraph"].tolist() == sorted(out["paragraph"]) and len(out) >= 1
    assert set(out["engagement"]) <= set(ml.INITIATIVE_ACTIVITY)
    for quote in out["quote"]:  # verbatim in the review, and in no theme's words
        assert sources.locate(quote, review_2013.DOC_ID) is not None and ml.themes_of(quote) == []
    assert "racial discrimination" in " ".join(out["quote"])


def test_with_speakers_joins_each_statement_to_its_person_and_office():
    from belarus_fp import load_table

    speakers = load_table("speakers")
    out = corpus.with_speakers(corpus.statements(), speakers).set_index("year")
    assert len(out) == 79 and out["person"].ne("").all()
    assert out.loc[2013, ["person", "office"]].tolist() == ["Vladimir Makei", "Minister for Foreign Affairs"]
    assert out.loc[1946, "office"] == corpus.NO_POST and out.loc[1946, "basis"] == "metadata_no_post"  # never inferred
    # a statement added from outside the corpus has no record: said, not guessed (and notebook 08 still builds)
    alone = corpus.with_speakers(corpus.statements(), speakers[speakers["doc_id"] != "ungd-1950"]).set_index("year")
    assert alone.loc[1950, ["person", "office", "basis"]].tolist() == [corpus.NO_RECORD] * 3
    assert alone.loc[1951, "person"] == out.loc[1951, "person"]


def test_the_derived_table_names_each_id_as_the_tables_do():
    """A state's code is in ``iso3`` (as in ``bilateral``), an organisation's in ``org_id``; the other column is empty."""
    found = mention_table.load_mentions()
    states = found["kind"].isin(timelines.STATE_KINDS)
    assert (found.loc[states, "iso3"] != "").all() and (found.loc[states, "org_id"] == "").all()
    assert (found.loc[~states, "org_id"] != "").all() and (found.loc[~states, "iso3"] == "").all()
    assert {"SUN", "USA"} <= set(found["iso3"]) and "UN" in set(found["org_id"])


def test_the_derived_tables_check_refuses_an_id_in_the_wrong_column():
    row = mention_table.load_mentions().iloc[0].astype(str)
    assert row["kind"] == "organization"
    wrong = pd.DataFrame([{**row, "iso3": row["org_id"], "org_id": ""}], index=pd.Index([2], name="line"))
    problems = mention_table.check_mentions(wrong, "ungd_mentions.csv")
    assert [(p.column, p.line) for p in problems] == [("iso3", 2), ("org_id", 2)], problems
