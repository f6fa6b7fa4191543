"""belarus_fp.archive.countries: a historical state is named and placed by the archive given, not the clone's."""

import pytest

from belarus_fp.archive import Archive, countries

#: The copy's historical states: the Soviet Union renamed and moved to another vector, and a state the clone lacks.
EDITED = {"SUN": ("Union of Soviet Socialist Republics", "europe")}
ADDED = "ZZH,Ruritania,1900,1950,africa,,a state only this copy knows\n"


def edit_historical_states(data) -> Archive:
    """Rewrite a copy's ``data/reference/historical_states.csv`` (:data:`EDITED`, :data:`ADDED`); its archive."""
    path = data / "reference" / "historical_states.csv"
    text = path.read_text(encoding="utf-8").replace("SUN,Soviet Union,", f"SUN,{EDITED['SUN'][0]},", 1)
    text = text.replace("1922,1991,russia,", "1922,1991,europe,", 1)
    path.write_text(text + ADDED, encoding="utf-8")
    return Archive.from_data_dir(data)


@pytest.fixture
def edited(data_copy):
    return edit_historical_states(data_copy)


def test_a_historical_state_is_named_and_placed_by_the_archive_given(edited):
    assert (countries.name("SUN", edited), countries.vector("SUN", edited)) == EDITED["SUN"]
    assert (countries.name("SUN"), countries.vector("SUN")) == ("Soviet Union", "russia")  # the clone's
    assert (countries.name("ZZH", archive=edited), countries.vector("ZZH", archive=edited)) == ("Ruritania", "africa")
    with pytest.raises(KeyError, match="unknown ISO3 code 'ZZH'"):
        countries.name("ZZH")
    with pytest.raises(KeyError, match="unknown ISO3 code 'ZZH'"):
        countries.vector("ZZH")


def test_an_unknown_code_is_hinted_from_the_archive_s_codes(edited):
    with pytest.raises(KeyError, match="ISO3 codes are upper case, did you mean 'ZZH'"):
        countries.name("zzh", edited)


def test_an_edit_of_the_table_is_seen_in_the_same_process(edited):
    assert countries.name("ZZH", edited) == "Ruritania"
    path = edited.reference / "historical_states.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("ZZH,Ruritania,", "ZZH,Ruritania Minor,"), encoding="utf-8")
    assert countries.name("ZZH", edited) == "Ruritania Minor"


def test_today_s_states_are_named_without_the_archive_s_tables(tmp_path):
    empty = Archive(tmp_path)  # no data/reference at all: today's states come from country_converter's table
    assert (countries.name("RUS", empty), countries.vector("RUS", empty)) == ("Russia", "russia")
    assert countries.name("XKX", empty) == "Kosovo"


def test_the_attention_groups_place_a_historical_state_by_the_archive_given(edited):
    """notebook 08's groups and shares: the Soviet Union where the copy's table puts it, named as it names it."""
    import pandas as pd

    from belarus_fp.analysis import timelines

    assert timelines.groups_of("SUN") == ["russia"] and timelines.groups_of("SUN", edited) == ["europe"]
    mentions = pd.DataFrame({"doc_id": ["d1"], "kind": ["historical_state"], "iso3": ["SUN"], "subject": [False], "text": ["Soviet Union"]})
    statements = pd.DataFrame({"doc_id": ["d1"], "year": [1950], "era": ["Cold War"], "words": [1000]})
    attention = timelines.country_attention(mentions, statements, edited)
    assert attention.loc[0, "europe"] and not attention.loc[0, "russia"]
    assert timelines.group_words(mentions, {"d1"}, "europe", edited) == {"SUN": ["Soviet Union"]}
    assert timelines.state_shares(mentions, statements, edited)["name"].tolist() == [EDITED["SUN"][0]]
