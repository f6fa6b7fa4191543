"""The finder's name tables for the UN General Debate statements: every rule of
data/reference/README.md ("What counts as a mention") on a real sentence of the corpus, quoted
verbatim from ../shared/corpora/ungd-belarus/texts/ (year given; whitespace runs made single),
the historical states through the code that maps and groups countries, and the entity-level
score against a gold file."""

import warnings

import pandas as pd
import pytest

from belarus_fp import paths
from belarus_fp.analysis import emphasis, mentions
from belarus_fp.archive import countries, finder, geodata, name_tables, sources
from belarus_fp.archive.gold import read_gold
from belarus_fp.commands import propose


def found(sentence):
    """(kind, id, text) of every mention, Belarus included (the gold files record the speaker)."""
    rows = finder.find_mentions(sentence, include_subject=True)
    return list(zip(rows["kind"], finder.ids(rows), rows["text"], strict=True))


def codes(sentence):
    return [(kind, code) for kind, code, _ in found(sentence)]


SUN = ("historical_state", "SUN")


# --- historical states: their own kind ------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (  # 1950: "Soviet" naming the state (its people, its Government) counts
            "In its consistent struggle for peace the USSR Government is backed by the unanimous and active support of the entire Soviet people.",
            [SUN, SUN],
        ),
        (  # 1959: the Supreme Soviet is a body of the state, not a name of it; "the USSR" and "the Soviet Union" are
            "It will be recalled that, on 31 March 1958, the Supreme Soviet of the USSR took the initiative in decreeing the unilateral cessation of atomic and hydrogen weapon test by the Soviet Union.",
            [SUN, SUN],
        ),
        ("The unresolved conflicts within the post-Soviet territories are still acute.", []),  # 1995: a region
        (  # 1964: "Soviet" inside a party's name does not count (a party is not an organisation either)
            "Brezhnev, the First Secretary of the Central Committee of the Communist Party of the Soviet Union, declared:",
            [],
        ),
        (  # 1970: "Soviet Byelorussia" is the speaker, not the Union
            "The people of Soviet Byelorussia have had to overcome the backwardness inherited from their pre-revolutionary past.",
            [("country", "BLR")],
        ),
        (  # 1948: the speaker's own name, and "the Byelorussian SSR" is one mention of BLR
            "The delegation of the Byelorussian SSR would wholeheartedly support that proposal.",
            [("country", "BLR")],
        ),
        (  # 1975: a hyphen lost in the record; the form names both states
            "Recently, serious improvements have been achieved in SovietAmerican relations; that has been of unquestionable utility in the improvement of the international climate as a whole.",
            [SUN, ("country", "USA")],
        ),
        (  # 1955: the two German States: the GDR is a historical state, the Federal Republic is today's Germany
            "Henceforth, the Soviet Union will have diplomatic and other relations with both the German Democratic Republic and the Federal Republic of Germany.",
            [SUN, ("historical_state", "DDR"), ("country", "DEU")],
        ),
        (  # 1952: Czechoslovakia; the People's Democratic Republic of Korea is the North, South Korea the South
            "to consist of the United States, the United Kingdom, France, the Soviet Union, the People’s Republic of China, India, Burma, Switzerland, Czechoslovakia, the People’s Democratic Republic of Korea, and South Korea.",
            [
                ("country", "USA"),
                ("country", "GBR"),
                ("country", "FRA"),
                SUN,
                ("country", "CHN"),
                ("country", "IND"),
                ("country", "MMR"),
                ("country", "CHE"),
                ("historical_state", "CSK"),
                ("country", "PRK"),
                ("country", "KOR"),
            ],
        ),
        (  # 1964: North and South Viet-Nam are historical states; Indo-China is a region (and not China)
            "It supports the declaration of 12 December 1964 by the Ministry of Foreign Affairs of the Democratic Republic of Viet-Nam and demands the immediate cessation of the intervention in Laos, the aggression in South Viet-Nam and the provocations that are creating tension throughout Indo-China.",
            [("historical_state", "VDR"), ("country", "LAO"), ("historical_state", "RVN")],
        ),
        (  # 1946
            "Thus, for instance, the Soviet army was active in Poland, Yugoslavia, and Czechoslovakia, while British and American troops operated on French territory.",
            [
                SUN,
                ("country", "POL"),
                ("historical_state", "YUG"),
                ("historical_state", "CSK"),
                ("country", "GBR"),
                ("country", "USA"),
                ("country", "FRA"),
            ],
        ),
    ],
)
def test_historical_states(sentence, expected):
    assert codes(sentence) == expected


# --- the era's names: a renamed state is today's state ---------------------------------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (  # 1979
            "We categorically condemn expansionism in the policy of China and confirm our full support for the peoples of the Socialist Republic of Viet Nam, the Lao People's Democratic Republic and the People's Republic of Kampuchea in their just struggle for the protection of their freedom and independence.",
            ["CHN", "VNM", "LAO", "KHM"],
        ),
        (  # 1959
            "Bandaranaike’s great contribution to the attainment and consolidation of Ceylon’s independence and to its peaceable policy of non-participation in military blocs.",
            ["LKA"],
        ),
        (  # 1965: colonies are the states they became; Southern Rhodesia is a historical state
            "until the peoples of Angola, Mozambique, so-called Portuguese Guinea, Southern Rhodesia, South West Africa, Oman, Aden and other territories have permanently won their freedom and independence.",
            ["AGO", "MOZ", "GNB", "RHO", "NAM", "OMN", "YMD"],
        ),
        (  # 1950: the Kuomintang holding China's seat is Taiwan (IDS.md)
            "We must expel the Kuomintang representative from the United Nations, beginning with the Security Council, and we must give his place to the real representative of the Chinese people, that is to say to the representative of the Central People’s Government of China.",
            ["TWN", "UN", "UNSC", "CHN", "CHN"],
        ),
        (  # 1960: "the Congo" and "Congolese" are the Congo of Leopoldville (now the DRC)
            "If anyone still has any doubts on that score he need only look at the memorandum dated 27 September 1960 submitted by the Congolese Parliamentary delegation, which has been circulated to representatives.",
            ["COD"],
        ),
    ],
)
def test_era_names(sentence, expected):
    assert [code for _, code in codes(sentence)] == expected


def test_historical_kind_and_renamed_states():
    kinds = {code: kind for kind, code in codes("Zaire, Upper Volta, Dahomey, Kampuchea, Burma, Ceylon; the USSR, the GDR, Yugoslavia.")}
    assert kinds == {
        "COD": "country",
        "BFA": "country",
        "BEN": "country",
        "KHM": "country",
        "MMR": "country",
        "LKA": "country",
        "SUN": "historical_state",
        "DDR": "historical_state",
        "YUG": "historical_state",
    }


# --- capitals: only in the forms that name a government --------------------------------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (  # 1978: "regime in <capital>"
            "It recalled the tragedy suffered by the people of Palestine and emphasized the need for comprehensive and binding sanctions against the apartheid regime in Pretoria and the racist regime in Rhodesia.",
            [("country", "PSE", "Palestine"), ("country", "ZAF", "Pretoria"), ("historical_state", "RHO", "Rhodesia")],
        ),
        (  # 1962: the possessive
            "Yet great China, whose social and political order is not to Washington's liking, still cannot take its seat in this hall.",
            [("country", "CHN", "China"), ("country", "USA", "Washington")],
        ),
        (  # 1952: "<capital> Government"
            "Blank, an official representative of the Bonn Government, told foreign Press correspondents on 13 June 1952",
            [("country", "DEU", "Bonn")],
        ),
        (  # 1972: a capital as a place is no mention (and Moscow is never read as a government: SUN or RUS by the year)
            "The Byelorussian people unanimously approves the results of these talks and the important documents signed in Moscow.",
            [("country", "BLR", "Byelorussian")],
        ),
        (  # 1949: a place; and "the North Atlantic Treaty" alone is the treaty, not NATO
            "It was common knowledge that it was in Washington that the North Atlantic Treaty had been signed and later ratified.",
            [],
        ),
        (  # 1963: a treaty named after a place is no mention
            "The Moscow Treaty is not only an expression of concern for the health of all mankind.",
            [],
        ),
        (  # 1966: a place, not a government
            "if the State Department were to permit the American representatives in Geneva to accept",
            [("country", "USA", "American")],
        ),
    ],
)
def test_capitals(sentence, expected):
    assert found(sentence) == expected


def test_a_capital_mention_spans_the_capital_only():
    sentence = "the racist regime in Pretoria receives from the United States."  # 1983
    row = finder.find_mentions(sentence).iloc[0]
    assert (row.iso3, sentence[row.start : row.end]) == ("ZAF", "Pretoria")


# --- organisations the ministry's texts never name -------------------------------------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "The United Nations should not be a repetition of the late-lamented League of Nations; it should be sufficiently strong and authoritative.",
            ["UN", "League-of-Nations"],
        ),  # 1947
        (  # 1970: a run-together word of the record
            "We should like to take this opportunity to express our best wishes to the SecretaryGeneral of the United Nations U Thant, who in the summer of this year paid an official visit to the Byelorussian Soviet Socialist Republic",
            ["UN-Secretary-General", "UN", "BLR"],
        ),
        (  # 1972: "the Warsaw Treaty" names the alliance (the States parties to it are its members)
            "When the leaders of the States parties to the Warsaw Treaty, at their conference at Bucharest in July 1966,6 set out a program for the struggle for peace and security in Europe",
            ["Warsaw-Pact"],
        ),
        (
            "The activities of the States members of the Council for Mutual Economic Assistance [CMEA] are a model for such co-operation.",
            ["CMEA", "CMEA"],
        ),  # 1979
        (
            "At the same time, naked pressure is being exerted on States members of the Association of South-East Asian Nations [ASEAN], in particular Thailand,",
            ["ASEAN", "ASEAN", "THA"],
        ),  # 1980
        (
            "Belarus supports the immediate implementation of all the decisions taken at the Summit of the Organization of African Unity held in Lusaka, Zambia, in July 2001.",
            ["BLR", "OAU", "ZMB"],
        ),  # 2001
        (
            "It should be said that the Group of Twenty format — let alone the Group of Eight — is too narrow to be considered a representative partnership.",
            ["G-20", "G-7"],
        ),  # 2009
        (  # 1984: the Western European Union is its own organisation, and holds no European Union
            "the Council of the Western European Union, at the request of the Federal Republic of Germany, lifted the ban",
            ["WEU", "DEU"],
        ),
        (  # 1979: the Movement named in lower case, as the records of the 1970s and 1980s write it
            "in the United Nations and other international organizations, and in the non-aligned movement, whose Sixth Conference recently came to a successful close",
            ["UN", "NAM"],
        ),
        (  # 1987
            "The Security Council, its bodies, the Military Staff Committee, the negotiating mechanisms, in particular the Conference on Disarmament, the International Court of Justice, the specialized agencies",
            ["UNSC", "Military-Staff-Committee", "Conference-on-Disarmament", "ICJ"],
        ),
    ],
)
def test_organisations(sentence, expected):
    assert [code for _, code in codes(sentence)] == expected


def test_a_generic_name_inside_an_organisations_name_is_its_own_body():
    assert codes("the OSCE Secretariat") == [("organization", "OSCE-Secretariat"), ("organization", "OSCE")]
    assert codes("the reorganization of the United Nations Secretariat") == [("organization", "UN-Secretariat"), ("organization", "UN")]


def test_reference_organisations_are_distinct_from_the_curated_ones_and_documented():
    listed = [row for _, row in name_tables.reference_table("organizations")]
    curated = set(pd.read_csv(paths.DATA / "curated" / "organizations.csv", keep_default_na=False)["org_id"])
    ids = [row["org_id"] for row in listed]
    assert len(ids) == len(set(ids)) and not set(ids) & curated
    from belarus_fp.archive import vocabulary

    assert {row["kind"] for row in listed} <= set(vocabulary.values("kind"))
    assert {row["parent"] for row in listed if row["parent"]} <= curated | set(ids)
    for org_id in ("League-of-Nations", "Warsaw-Pact", "CMEA", "ASEAN", "OAU", "G-20", "UN-Secretary-General", "ICJ", "CSCE", "WHO"):
        assert org_id in ids or org_id in curated  # the Secretary-General is curated (named in the 2016 statement)


# --- what does not count ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (  # 1956: a region
            "Pineau, the representative of France, accused the Soviet Union of trying to hamper any settlement of the Suez problem and to aggravate the situation in the Middle East.",
            [("country", "FRA"), SUN],
        ),
        (  # 1958: a grouping of states is not an organisation
            "the United States has hundreds of military bases in foreign countries for use against the Soviet Union and the other socialist countries.",
            [("country", "USA"), SUN],
        ),
        ("Bevin had referred in his speech (page 574 of the eleventh Russian edition).", []),  # 1948: the language
        (  # 1975 (dev gold): communities of Cyprus, not Greece and Turkey
            "the Greek Cypriots and the Turkish Cypriots",
            [("country", "CYP"), ("country", "CYP")],
        ),
        (  # 1952 (dev gold): canals, places of the USSR
            "and for the building of the main Turkmen canal and the South Ukraine and North Crimea canals.",
            [],
        ),
    ],
)
def test_what_does_not_count(sentence, expected):
    assert codes(sentence) == expected


# --- historical states in the code that maps and groups countries -----------------------------


def test_historical_states_have_a_name_a_vector_and_no_geometry():
    table = countries.historical_states()
    assert {"SUN", "YUG", "CSK", "DDR", "YMD", "VDR", "RVN", "SCG", "ANT", "RHO", "ZAN", "UAR"} <= set(table)
    assert countries.name("SUN") == "Soviet Union" and countries.vector("SUN") == "russia"
    assert countries.vector("DDR") == "europe" and countries.vector("RVN") == "asia_pacific"
    assert countries.is_historical("YUG") and not countries.is_historical("SRB")
    assert set(table) <= countries.known_iso3()
    every_code = set(name_tables.country_names().values()) | {c for parts in name_tables.country_parts().values() for c, _ in parts}
    assert every_code <= countries.known_iso3()
    assert {code for code in every_code if countries.is_historical(code)} <= set(table)
    frame = pd.DataFrame({"iso3": ["POL", "SUN", "YUG"], "n": [1, 2, 3]})
    with pytest.raises(geodata.UnmatchedCodes, match=r"SUN \(a historical state: no geometry today\)"):
        geodata.join_iso3(frame)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        drawn = geodata.join_iso3(frame, on_missing="warn")
    assert drawn["iso3"].tolist() == ["POL"] and "historical state" in str(caught[0].message)


def test_historical_states_are_grouped_and_proposed_as_states():
    text = "The Soviet Union and Yugoslavia, the United States and the Organization of African Unity."
    found_rows = finder.find_mentions(text)
    shares = emphasis.region_shares(found_rows)
    assert shares["russia"] == pytest.approx(1 / 3) and shares["europe"] == pytest.approx(1 / 3)
    rows = propose.propose_text([text], "ungd-0000", "un0000")
    assert {r["iso3"] for r in rows["bilateral"]} == {"SUN", "YUG", "USA"}
    assert {r["org_id"] for r in rows["multilateral"]} == {"OAU"}


def test_the_ministry_texts_name_no_historical_state():
    for doc_id in sources.doc_ids(collection=sources.MINISTRY):
        assert "historical_state" not in set(mentions.document_mentions(doc_id, include_subject=True)["kind"]), doc_id


# --- the entity-level score --------------------------------------------------------------------


def test_entity_scores_on_a_tiny_synthetic_gold():
    texts = {
        "ungd-1": "The Soviet Union and Niger at the United Nations.",  # found: SUN, NER, UN
        "ungd-2": "Burma and the League of Nations.",  # found: MMR, League-of-Nations
    }
    gold = [
        {"doc_id": "ungd-1", "kind": "historical_state", "iso3": "SUN"},
        {"doc_id": "ungd-1", "kind": "historical_state", "iso3": "SUN"},  # a second quote counts once
        {"doc_id": "ungd-1", "kind": "country", "iso3": "NGA"},  # wrong on purpose: missed NGA, extra NER
        {"doc_id": "ungd-1", "kind": "organization", "org_id": "UN"},
        {"doc_id": "ungd-2", "kind": "country", "iso3": "MMR"},
        {"doc_id": "ungd-2", "kind": "organization", "org_id": "WHO"},  # missed; League-of-Nations is extra
    ]
    scores = mentions.entity_scores(gold, texts)
    assert list(scores.index) == ["country", "historical_state", "organization", "all"]
    assert scores.loc["country", ["gold", "found", "matched"]].tolist() == [2, 2, 1]
    assert scores.loc["historical_state", ["gold", "found", "matched"]].tolist() == [1, 1, 1]
    assert scores.loc["organization", ["gold", "found", "matched"]].tolist() == [2, 2, 1]
    assert scores.loc["all", "precision"] == pytest.approx(3 / 5) and scores.loc["all", "recall"] == pytest.approx(3 / 5)
    assert (scores["statements"] == 2).all()
    # without the speaker: Belarus leaves both sides (the gold row is not "missed", the finder's not "found")
    with_belarus = [*gold, {"doc_id": "ungd-2", "kind": "country", "iso3": "BLR"}]
    texts_b = {**texts, "ungd-2": texts["ungd-2"] + " Belarus speaks."}
    assert mentions.entity_scores(with_belarus, texts_b).loc["country", ["gold", "found", "matched"]].tolist() == [3, 3, 2]
    without = mentions.entity_scores(with_belarus, texts_b, include_subject=False)
    assert without.loc["country", ["gold", "found", "matched"]].tolist() == [2, 2, 1]
    errors = mentions.entity_errors(gold, texts)
    assert errors.values.tolist() == [
        ["ungd-1", "country", "NER", "", "extra"],
        ["ungd-1", "country", "NGA", "", "missed"],
        ["ungd-2", "organization", "", "League-of-Nations", "extra"],
        ["ungd-2", "organization", "", "WHO", "missed"],
    ]
    with pytest.raises(KeyError, match="ungd-2"):
        mentions.entity_scores(gold, {"ungd-1": texts["ungd-1"]})


def test_read_gold_is_strict(tmp_path):
    good = tmp_path / "gold.csv"
    good.write_text(
        "doc_id,kind,iso3,org_id,note\nungd-1,country,NER,,\nungd-1,historical_state,SUN,,\nungd-1,organization,,UN,\n", encoding="utf-8"
    )
    assert read_gold(good) == [
        {"doc_id": "ungd-1", "kind": "country", "iso3": "NER", "org_id": "", "note": ""},
        {"doc_id": "ungd-1", "kind": "historical_state", "iso3": "SUN", "org_id": "", "note": ""},
        {"doc_id": "ungd-1", "kind": "organization", "iso3": "", "org_id": "UN", "note": ""},
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("doc_id,kind,iso3,org_id\nungd-1,state,NER,\nungd-2,country,,\nungd-3,organization,UN,UN\n", encoding="utf-8")
    from belarus_fp.errors import TableError

    with pytest.raises(
        TableError, match=r"(?s)bad.csv, line 2, column 'kind'.*bad.csv, line 3, column 'iso3'.*bad.csv, line 4, column 'iso3'"
    ):
        read_gold(bad)
    old = tmp_path / "old.csv"  # one column for every kind's id, as the files had it first
    old.write_text("doc_id,kind,code\nungd-1,country,NER\n", encoding="utf-8")
    with pytest.raises(TableError, match="column 'iso3'"):
        read_gold(old)


def test_the_gold_files_give_each_id_in_its_kinds_column_alone():
    """Each row of a gold file names a state (iso3: a country or a historical state) or an organisation (org_id)."""
    for path in sorted((paths.DATA / "gold").glob("ungd-mentions-*.csv")):
        if path.stem.endswith("-excluded"):
            continue
        rows = read_gold(path)
        for row in rows:
            filled = [c for c in finder.ID_FIELDS if row[c]]
            assert filled == [finder.ID_COLUMNS[row["kind"]]], (path.name, row)
        assert {r["iso3"] for r in rows if r["iso3"]} <= countries.known_iso3(), path.name
        assert {r["iso3"] for r in rows if r["kind"] == "historical_state"} <= set(countries.historical_states()), path.name


def test_the_dev_gold_file_is_scored():
    gold = read_gold(paths.DATA / "gold" / "ungd-mentions-dev.csv")
    assert {r["doc_id"] for r in gold} == {"ungd-1952", "ungd-1975", "ungd-1992", "ungd-2007", "ungd-2021"}
    assert {r["kind"] for r in gold} == set(finder.KINDS)
    imported = set(sources.doc_ids())
    if not {r["doc_id"] for r in gold} <= imported:
        pytest.skip("the UN statements are not in the archive yet")
    scores = mentions.score_gold_file(paths.DATA / "gold" / "ungd-mentions-dev.csv")
    assert scores.loc["all", "recall"] > 0.9 and scores.loc["all", "precision"] > 0.9  # in-sample: the tables were tuned on it
