"""data/reference/: the finder's name tables are read strictly, and bad input names file, line and column."""

import shutil

import pytest
from conftest import copy_data

from belarus_fp import paths
from belarus_fp.archive import Archive, finder, name_tables
from belarus_fp.errors import TableError


@pytest.fixture
def copy(tmp_path, request):
    """A copy of the clone's archive whose reference tables a test may corrupt (no cache to clear: they are keyed on contents)."""
    copy_data(paths.DATA, tmp_path / "data", request, ignore=shutil.ignore_patterns("proposed"))
    return Archive(tmp_path)


@pytest.fixture
def reference_copy(copy):
    return copy.reference


def test_every_file_is_a_declared_table_and_loads():
    files = {p.stem for p in (paths.DATA / "reference").glob("*.csv")}
    assert files == set(name_tables.REFERENCE_TABLES)
    for name in files:
        assert name_tables.reference_table(name), f"{name}.csv has no rows"


def test_a_missing_column_is_named(reference_copy):
    path = reference_copy / "demonyms.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("form,iso3", "form,iso", 1), encoding="utf-8")
    with pytest.raises(TableError, match=r"data/reference/demonyms.csv, line 1, column 'iso3': required column is missing"):
        name_tables.reference_table("demonyms", Archive(reference_copy.parents[1]))


def test_a_malformed_row_is_named_by_line(reference_copy):
    path = reference_copy / "org_aliases.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3] + ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(TableError, match=r"data/reference/org_aliases.csv, line 4"):
        name_tables.reference_table("org_aliases", Archive(reference_copy.parents[1]))


def test_an_alias_claimed_by_two_countries_is_refused_with_its_line(reference_copy):
    path = reference_copy / "country_aliases.csv"
    path.write_text(path.read_text(encoding="utf-8") + "Columbia,BOL,usual English name,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"country_aliases.csv, line \d+: 'Columbia' would name both COL and BOL"):
        name_tables.country_names(Archive(reference_copy.parents[1]))


def test_an_alias_added_in_a_running_process_is_found_without_clearing_a_cache(tmp_path, monkeypatch, request):
    """Reproduced: the finder's caches were keyed on names, so an edited name table was not seen until three
    private cache_clear() calls. Now every cache is keyed on the files' contents."""
    copy_data(paths.DATA, tmp_path / "data", request, ignore=shutil.ignore_patterns("proposed"))
    monkeypatch.setenv(paths.ENV_ROOT, str(tmp_path))  # the clone's archive is now the copy
    text = "Talks with Polska and Poland."
    assert finder.find_mentions(text)["text"].tolist() == ["Poland"]
    aliases = tmp_path / "data" / "reference" / "country_aliases.csv"
    aliases.write_text(aliases.read_text(encoding="utf-8") + "Polska,POL,test alias,\n", encoding="utf-8")
    assert finder.find_mentions(text)["text"].tolist() == ["Polska", "Poland"]


def test_the_finder_reads_the_name_tables_of_the_archive_it_is_given(copy):
    aliases = copy.reference / "country_aliases.csv"
    aliases.write_text(aliases.read_text(encoding="utf-8") + "Polska,POL,test alias,\n", encoding="utf-8")
    assert finder.find_mentions("Polska", archive=copy)["iso3"].tolist() == ["POL"]
    assert finder.find_mentions("Polska").empty  # the clone's own tables do not have it


def test_the_finder_reads_the_historical_states_of_the_archive_it_is_given(copy):
    """A state only the given archive's historical_states.csv has is a historical state to its finder: its kind, and
    its capital's forms (checked against the codes that archive knows)."""

    def append(name, line):
        path = copy.reference / name
        path.write_text(path.read_text(encoding="utf-8") + line, encoding="utf-8")

    append("historical_states.csv", "ZZZ,Ruritania,1900,1950,europe,,a state for the test\n")
    append("country_aliases.csv", "Ruritania,ZZZ,test alias,\n")
    append("capitals.csv", "Strelsau,ZZZ,\n")
    found = finder.find_mentions("Ruritania and the Strelsau regime.", archive=copy)
    assert found[["kind", "iso3", "text"]].values.tolist() == [
        ["historical_state", "ZZZ", "Ruritania"],
        ["historical_state", "ZZZ", "Strelsau"],
    ]


def test_a_noun_for_persons_is_read_from_the_archive_given(copy):
    sentence = "the Japanese delegation and the Japanese war criminals"
    assert finder.find_mentions(sentence, archive=copy)["text"].tolist() == ["Japanese"]
    nouns = copy.reference / "person_nouns.csv"
    nouns.write_text(nouns.read_text(encoding="utf-8") + "delegation,a test row\n", encoding="utf-8")
    assert finder.find_mentions(sentence, archive=copy).empty


def test_a_capitalised_noun_for_persons_is_refused_with_its_line(copy):
    nouns = copy.reference / "person_nouns.csv"
    nouns.write_text(nouns.read_text(encoding="utf-8") + "Government,a name would hide a mention\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"person_nouns.csv, line \d+: noun 'Government' is not a lower-case common noun"):
        name_tables.person_nouns(copy)
