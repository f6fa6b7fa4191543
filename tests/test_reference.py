"""data/reference/: the finder's name tables are read strictly, and bad input names file, line and column."""

import shutil

import pytest
from conftest import copy_data

from belarus_fp import paths
from belarus_fp.archive import Archive, finder, keys, name_tables
from belarus_fp.archive.tables import load_table
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


def _append(archive, table: str, *rows: str) -> int:
    """Append rows to a name table of the copy; the line number of the first."""
    path = archive.reference / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "".join(rows), encoding="utf-8")
    return text.count("\n") + 1


def _refused(call) -> TableError:
    """The TableError ``call()`` raises (a ValueError too, for callers that catch that)."""
    with pytest.raises(TableError) as err:
        call()
    assert isinstance(err.value, ValueError)
    return err.value


def _cells(error: TableError) -> list[tuple]:
    return [(p.file, p.line, p.column, p.value) for p in error.problems]


def test_an_alias_claimed_by_two_countries_is_refused_with_its_line(copy):
    line = _append(copy, "country_aliases", "Columbia,BOL,usual English name,\n")
    demonym = _append(copy, "demonyms", "Polish,DEU\n")
    error = _refused(lambda: name_tables.country_names(copy))
    assert _cells(error) == [
        ("data/reference/country_aliases.csv", line, "name", "Columbia"),
        ("data/reference/demonyms.csv", demonym, "form", "Polish"),
    ]
    assert f"data/reference/country_aliases.csv, line {line}, column 'name': 'Columbia' would name both COL and BOL" in str(error)
    assert "'Polish' would name both POL and DEU" in str(error)


def test_the_loader_s_name_check_still_says_where_a_clashing_name_was_first_given(copy):
    """``keys.named_countries`` reports a clash as the loader does (with the row or package that gave the name first)."""
    line = _append(copy, "country_aliases", "Columbia,BOL,usual English name,\n")
    error = _refused(lambda: keys.named_countries("Columbia", copy))
    assert _cells(error) == [("data/reference/country_aliases.csv", line, "name", "Columbia")]
    first = next(
        n for n, text in enumerate((copy.reference / "country_aliases.csv").open(encoding="utf-8"), 1) if text.startswith("Columbia,COL")
    )
    assert f"names both COL (data/reference/country_aliases.csv, line {first}) and BOL" in str(error)


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
    line = _append(copy, "person_nouns", "Government,a name would hide a mention\n", "soldiers,\n", ",an empty noun\n")
    error = _refused(lambda: name_tables.person_nouns(copy))
    assert _cells(error) == [
        ("data/reference/person_nouns.csv", line, "noun", "Government"),
        ("data/reference/person_nouns.csv", line + 2, "noun", ""),
    ]
    assert "column 'noun': noun 'Government' is not a lower-case common noun" in str(error)


@pytest.fixture(scope="module")
def organizations():
    """The clone's curated organisations (the name tables read are the copy's)."""
    return load_table("organizations")


def test_an_organisation_listed_in_both_tables_or_twice_is_refused_at_its_row(copy, organizations):
    line = _append(copy, "organizations", "OSCE,OSCE again,european,,\n", "IPU,Inter-Parliamentary Union,other,,\n")
    error = _refused(lambda: name_tables.organization_names(organizations, copy))
    assert _cells(error) == [
        ("data/reference/organizations.csv", line, "org_id", "OSCE"),
        ("data/reference/organizations.csv", line + 1, "org_id", "IPU"),
    ]
    assert "org_id 'OSCE' is in organizations.csv already, or listed twice" in str(error)


def test_an_alias_of_an_unknown_or_another_organisation_is_refused_at_its_row(copy, organizations):
    line = _append(copy, "org_aliases", "Ruritanian Union,RU-Union,\n", "Red Cross,UN,\n")
    error = _refused(lambda: name_tables.organization_names(organizations, copy))
    assert _cells(error) == [
        ("data/reference/org_aliases.csv", line, "org_id", "RU-Union"),
        ("data/reference/org_aliases.csv", line + 1, "name", "Red Cross"),
    ]
    assert "'Ruritanian Union' -> 'RU-Union', which organizations.csv does not have" in str(error)
    assert "'Red Cross' would name both ICRC and UN" in str(error)


def test_a_curated_organisation_whose_name_names_another_is_refused_at_its_line(copy, organizations):
    frame = organizations.copy()
    line = int(frame.index[frame["org_id"] == "EU"][0])
    frame.loc[line, "name_in_text"] = "Commonwealth of Independent States"
    error = _refused(lambda: name_tables.organization_names(frame, copy))
    assert _cells(error) == [("data/curated/organizations.csv", line, "name_in_text", "Commonwealth of Independent States")]
    assert "would name both CIS and EU" in str(error)
    assert (paths.DATA / "curated" / "organizations.csv").read_text(encoding="utf-8").splitlines()[line - 1].startswith("EU,")


def test_a_curated_organisation_s_problem_names_the_file_datapackage_json_gives(copy, organizations):
    import json

    descriptor = copy.curated / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    [resource] = [r for r in package["resources"] if r["name"] == "organizations"]
    resource["path"] = "bodies.csv"
    descriptor.write_text(json.dumps(package, indent=2), encoding="utf-8")
    (copy.curated / "organizations.csv").rename(copy.curated / "bodies.csv")
    frame = organizations.copy()
    line = int(frame.index[frame["org_id"] == "EU"][0])
    frame.loc[line, "name_in_text"] = "Commonwealth of Independent States"
    error = _refused(lambda: name_tables.organization_names(frame, copy))
    assert _cells(error) == [("data/curated/bodies.csv", line, "name_in_text", "Commonwealth of Independent States")]


def test_an_organisation_compound_with_an_unknown_id_or_a_part_not_in_it_is_refused_at_its_row(copy, organizations):
    line = _append(copy, "org_compounds", "UN/RU,RU-Union,RU,\n", "CU/XYZ,CU,CES,\n")
    error = _refused(lambda: name_tables.organization_names(organizations, copy))
    assert _cells(error) == [
        ("data/reference/org_compounds.csv", line, "org_id", "RU-Union"),
        ("data/reference/org_compounds.csv", line + 1, "part", "CES"),
    ]
    assert "'CU/XYZ' -> 'CU' 'CES': unknown org_id, or the part is not in the form" in str(error)


def test_a_country_compound_with_an_unknown_code_or_a_part_not_in_it_is_refused_at_its_row(copy):
    line = _append(copy, "country_compounds", "SovietRuritanian,ZZZ,Ruritanian,\n", "SovietPolish,POL,Polnish,\n")
    error = _refused(lambda: name_tables.country_parts(copy))
    assert _cells(error) == [
        ("data/reference/country_compounds.csv", line, "iso3", "ZZZ"),
        ("data/reference/country_compounds.csv", line + 1, "part", "Polnish"),
    ]
    assert "'SovietPolish' -> 'POL' 'Polnish': unknown code, or the part is not in the form" in str(error)


def test_a_government_word_s_position_is_before_or_after(copy):
    line = _append(copy, "government_words", "regime,in front,\n")
    error = _refused(lambda: name_tables.country_parts(copy))
    assert _cells(error) == [("data/reference/government_words.csv", line, "position", "in front")]
    assert "position must be 'before' or 'after', not 'in front'" in str(error)


def test_a_capital_of_an_unknown_code_or_of_two_countries_is_refused_at_its_row(copy):
    line = _append(copy, "capitals", "Strelsau,ZZZ,\n", "Washington,CAN,\n")
    error = _refused(lambda: name_tables.country_parts(copy))
    assert _cells(error) == [
        ("data/reference/capitals.csv", line, "iso3", "ZZZ"),
        ("data/reference/capitals.csv", line + 1, "name", "Washington"),
    ]
    assert "\"Strelsau's\" -> 'ZZZ' 'Strelsau': unknown code, or the part is not in the form" in str(error)
    assert '"Washington\'s" would name both USA and CAN' in str(error)
