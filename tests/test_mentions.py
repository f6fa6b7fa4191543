"""The mention finder: a gold set of sentences, its name tables, and its speed at scale (the cross-check against the tables: test_coverage.py)."""

import bisect
import itertools
import json

import pytest

from belarus_fp import paths
from belarus_fp.analysis import mentions
from belarus_fp.archive import countries, finder, name_tables, sources
from belarus_fp.archive.tables import load_table

GOLD = json.loads((paths.ROOT / "tests" / "data" / "mentions_gold.json").read_text(encoding="utf-8"))


def spans(found) -> list[dict]:
    """The mentions as the gold file writes them: kind, the id under its kind's column (iso3 or org_id), text, span."""
    return [
        {
            "kind": r["kind"],
            finder.ID_COLUMNS[r["kind"]]: r[finder.ID_COLUMNS[r["kind"]]],
            "text": r["text"],
            "start": r["start"],
            "end": r["end"],
        }
        for r in found.to_dict("records")
    ]


@pytest.mark.parametrize("case", GOLD, ids=lambda c: f"{c['source']}:{c['sentence'][:40]}")
def test_gold_sentence(case):
    found = finder.find_mentions(case["sentence"])
    assert list(found.columns) == finder.COLUMNS
    assert spans(found) == case["expected"]
    for row in found.itertuples():
        assert case["sentence"][row.start : row.end] == row.text


def test_gold_is_sound():
    """Document sentences are verbatim; expected spans point at their text; both documents and own sentences are there."""
    assert {c["source"] for c in GOLD} == {"review-2013", "priorities", "own"}
    for case in GOLD:
        if case["source"] != "own":
            assert sources.contains(case["sentence"], case["source"]), case["sentence"][:80]
        for exp in case["expected"]:
            assert case["sentence"][exp["start"] : exp["end"]] == exp["text"]
    codes = {e[finder.ID_COLUMNS[e["kind"]]] for c in GOLD for e in c["expected"]}
    traps = {
        "GNQ",
        "GIN",
        "GEO",
        "SSD",
        "SDN",
        "NER",
        "NGA",
        "TKM",
        "LVA",
        "POL",
        "COL",
        "ARE",
        "LKA",
        "ZAF",
        "RUS",
        "CIS",
        "EAEU",
        "CSTO",
        "OSCE",
        "CU",
        "CES",
        "UNGA",
        "SCO",
        "Belarus-EU-CG",
    }
    assert traps <= codes, sorted(traps - codes)


def test_belarus_is_the_subject():
    text = "The Republic of Belarus and Belarusian-Polish ties; Belarus’ partners."
    assert finder.find_mentions(text)["iso3"].tolist() == ["POL"]
    with_subject = finder.find_mentions(text, include_subject=True)
    assert with_subject["iso3"].tolist() == ["BLR", "BLR", "POL", "BLR"]
    assert with_subject["subject"].tolist() == [True, True, False, True]
    assert with_subject["text"].tolist() == ["Republic of Belarus", "Belarusian", "Polish", "Belarus"]


def test_names_inside_an_organisation_are_flagged():
    found = finder.find_mentions("the “Belarus – Poland – Ukraine” programme")
    assert found[["iso3", "org_id", "inside"]].values.tolist() == [
        ["", "CBC-Belarus-Poland-Ukraine", False],
        ["POL", "", True],
        ["UKR", "", True],
    ]
    outer = found.iloc[0]
    assert all(outer.start <= r.start and r.end <= outer.end for r in found.iloc[1:].itertuples())


def test_empty_and_mention_free_text():
    for text in ("", "No country here, only the weather."):
        found = finder.find_mentions(text)
        assert found.empty and list(found.columns) == finder.COLUMNS


def test_every_country_name_resolves_to_a_known_code():
    names = name_tables.country_names()
    assert set(names.values()) <= countries.known_iso3()
    for iso3 in ("GNQ", "SSD", "NER", "XAB", "COL", "USA", "BLR"):
        assert iso3 in names.values()
    # every name is found as itself, as the country it names: "x <name> y", a line each, read in one call
    keys = sorted(names)
    lines = [f"x {key} y" for key in keys]
    starts = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    found = finder.find_mentions("\n".join(lines), include_subject=True)
    first: dict[int, str] = {}
    for start, iso3 in zip(found["start"], found["iso3"], strict=True):
        first.setdefault(bisect.bisect_right(starts, start) - 1, iso3)
    for i, key in enumerate(keys):
        assert first.get(i) == names[key], key


def test_every_organisation_resolves_from_its_table_names():
    orgs = load_table("organizations")
    for row in orgs.itertuples():
        for surface in (row.name, row.name_in_text):
            assert row.org_id in set(finder.find_mentions(f"the {surface}.")["org_id"]), (row.org_id, surface)


def test_alias_to_an_unknown_organisation_is_an_error():
    orgs = load_table("organizations")
    without_un = orgs[orgs["org_id"] != "UN"]
    with pytest.raises(ValueError, match="'UN'"):
        name_tables.organization_names(without_un)


def test_repeated_text_gives_repeated_mentions():
    # how fast: make bench ("mention finder on ~4 MB of text"), not a timed test
    text = "\n\n".join(sources.load_text(d) for d in sources.doc_ids(collection=sources.MINISTRY))
    once = finder.find_mentions(text)
    repeats = 5
    many = finder.find_mentions(text * repeats)
    assert len(many) == repeats * len(once)
    last = many.iloc[-len(once) :]
    assert (last["start"].to_numpy() - (repeats - 1) * len(text) == once["start"].to_numpy()).all()


def test_gold_scores_count_exact_spans_per_source():
    gold = [
        {
            "source": "own",
            "sentence": "Niger and Nigeria.",
            "expected": [
                {"kind": "country", "iso3": "NER", "text": "Niger", "start": 0, "end": 5},
                {"kind": "country", "iso3": "NGA", "text": "Nigeria", "start": 10, "end": 17},
            ],
        },
        {
            "source": "own",
            "sentence": "Guinea.",
            "expected": [{"kind": "country", "iso3": "GNQ", "text": "Guinea", "start": 0, "end": 6}],
        },  # wrong on purpose
    ]
    row = mentions.gold_scores(gold).loc["own"]
    assert (row["sentences"], row["expected"], row["found"], row["matched"]) == (2, 3, 3, 2)
    assert row["precision"] == pytest.approx(2 / 3) and row["recall"] == pytest.approx(2 / 3)
    shipped = mentions.gold_scores()
    assert set(shipped.index) == {"review-2013", "priorities", "own"}
    assert shipped["sentences"].sum() == len(GOLD)


def test_each_kind_has_its_id_in_the_column_the_tables_use():
    """``iso3`` for a country or historical state (as ``bilateral``), ``org_id`` for an organisation (as ``multilateral``)."""
    found = finder.find_mentions("The Soviet Union, the United States and the OSCE.")
    assert found[["kind", "iso3", "org_id"]].values.tolist() == [
        ["historical_state", "SUN", ""],
        ["country", "USA", ""],
        ["organization", "", "OSCE"],
    ]
    assert finder.ids(found).tolist() == ["SUN", "USA", "OSCE"]
    assert "code" not in found.columns


# --- phrases that name no state: a trade round, a currency, persons described by their nationality ----------
# Real sentences of the UN statements (year given), outside the held-out half of data/gold.


def _states(sentence):
    """(iso3, text) of every state the finder names in ``sentence``, Belarus included."""
    rows = finder.find_mentions(sentence, include_subject=True)
    rows = rows[rows["kind"] != "organization"]
    return list(zip(rows["iso3"], rows["text"], strict=True))


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (  # 1991: the GATT's trade round is named after its venue, not Uruguay
            "In this connection Belarus is following with interest the Uruguay Round being conducted under the aegis of the "
            "General Agreement on Tariffs and Trade (GATT); this is broadening the framework of the universal international "
            "trading system.",
            [("BLR", "Belarus")],
        ),
        (  # 1948: Uruguay itself still counts
            "The representative of Uruguay had made a very reasonable objection in the Interim Committee (A/AC.18/SR.15 and "
            "A/AC.18/SR.18) to those attacks against the principle of unanimity.",
            [("URY", "Uruguay")],
        ),
    ],
)
def test_the_uruguay_round_is_no_mention_of_uruguay(sentence, expected):
    assert _states(sentence) == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (  # 1991: "$US" is the currency
            "At the same time, the Ministry for Atomic Energy of the USSR, the main culprit of the Chernobyl disaster, in 1990 "
            "received from its export deliveries $US 650 million.",
            [("SUN", "USSR")],
        ),
        ("We have invested $US 13 billion in restoring the social and economic sectors of that region.", []),  # 2002
        ("In Belarus alone, the disaster caused US$ 235 billion in damages.", [("BLR", "Belarus")]),  # 2005
        ("In Belarus alone, the disaster caused US$235 billion in damages.", [("BLR", "Belarus")]),  # the sign is no word character
        (  # 1983: the state counts, its currency does not
            "Moreover, the United States is strangling the economies of Western European countries with its high interest rates "
            "and an artificially inflated exchange rate for the United States dollar.",
            [("USA", "United States")],
        ),
        ("the US and the U.S. position", [("USA", "US"), ("USA", "U.S.")]),  # without a currency sign "US" is the state
    ],
)
def test_a_currency_is_no_mention_of_its_state(sentence, expected):
    assert _states(sentence) == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (  # 1952: the development gold file's "nationality of individuals; Japan as a state is not named"
            "This bacterial warfare was prepared in close collaboration with the Japanese war criminals, who had already had "
            "experience of such nefarious procedures.",
            [],
        ),
        (  # 1955: persons; the Soviet and German peoples still name their states
            "We must remember that hostility and war between the Soviet and German peoples brought untold disaster, privation "
            "and suffering to millions of Soviet citizens and Germans in the last two world wars.",
            [("SUN", "Soviet"), ("DEU", "German"), ("DEU", "Germans")],
        ),
        (
            "the exports of Belgium and Luxembourg totalled $29 million in 1949; Danish exports totalled $9 million",
            [
                ("BEL", "Belgium"),
                ("LUX", "Luxembourg"),
                ("DNK", "Danish"),  # 1952: a country statistic, the state (the development gold file counts it)
            ],
        ),
        ("the Japanese Government and the Japanese war criminals", [("JPN", "Japanese")]),
    ],
)
def test_a_nationality_describing_persons_is_no_mention_of_their_state(sentence, expected):
    assert _states(sentence) == expected


def test_the_dev_gold_file_has_no_false_positive_left():
    """The three kinds of phrase were the development file's last extra rows ("Japanese war criminals", 1952)."""
    path = paths.DATA / "gold" / "ungd-mentions-dev.csv"
    scores = mentions.score_gold_file(path)
    found, matched, gold = scores.loc["all", ["found", "matched", "gold"]].tolist()
    assert found == matched == gold
