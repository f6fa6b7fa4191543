"""data/reference/: the finder's name tables are read strictly, and bad input names file, line and column."""

import shutil

import pytest

from belarus_fp import paths
from belarus_fp.archive import finder
from belarus_fp.errors import TableError


@pytest.fixture
def reference_copy(tmp_path, monkeypatch):
    """A copy of data/ whose reference tables a test may corrupt; the finder's caches are cleared around it."""
    shutil.copytree(paths.DATA, tmp_path / "data")
    monkeypatch.setattr(paths, "DATA", tmp_path / "data", raising=False)
    finder.reference_table.cache_clear()
    yield tmp_path / "data" / "reference"
    finder.reference_table.cache_clear()


def test_every_file_is_a_declared_table_and_loads():
    files = {p.stem for p in (paths.DATA / "reference").glob("*.csv")}
    assert files == set(finder.REFERENCE_TABLES)
    for name in files:
        assert finder.reference_table(name), f"{name}.csv has no rows"


def test_a_missing_column_is_named(reference_copy):
    path = reference_copy / "demonyms.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("form,iso3", "form,iso", 1), encoding="utf-8")
    with pytest.raises(TableError, match=r"data/reference/demonyms.csv, line 1, column 'iso3': required column is missing"):
        finder.reference_table("demonyms")


def test_a_malformed_row_is_named_by_line(reference_copy):
    path = reference_copy / "org_aliases.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3] + ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(TableError, match=r"data/reference/org_aliases.csv, line 4"):
        finder.reference_table("org_aliases")


def test_an_alias_claimed_by_two_countries_is_refused_with_its_line(reference_copy):
    path = reference_copy / "country_aliases.csv"
    path.write_text(path.read_text(encoding="utf-8") + "Columbia,BOL,usual English name,\n", encoding="utf-8")
    finder._country_names.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"country_aliases.csv, line \d+: 'Columbia' would name both COL and BOL"):
            finder.country_names()
    finally:
        finder._country_names.cache_clear()
