"""Release metadata agrees with itself: CITATION.cff, .zenodo.json, CHANGELOG.md, references.bib,
datapackage.json and the manifest give the same licences, versions and one author form per document."""

import json
import re
import tomllib

import yaml

from belarus_fp import paths
from belarus_fp.archive import citations, sources, tables

CFF = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
ZENODO = json.loads((paths.ROOT / ".zenodo.json").read_text(encoding="utf-8"))
CHANGELOG = (paths.ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
PACKAGE_VERSION = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
DATA = tables.datapackage()


def _latest(kind: str) -> tuple[str, str]:
    found = re.findall(rf"^## {kind} (\d+\.\d+\.\d+) — (\d{{4}}-\d{{2}}-\d{{2}})$", CHANGELOG, flags=re.M)
    assert found, f"CHANGELOG.md has no '## {kind} X.Y.Z — YYYY-MM-DD' entry"
    return found[0]


def _bib_entries() -> dict[str, str]:
    text = (paths.RAW / "references.bib").read_text(encoding="utf-8")
    return dict(re.findall(r"^@misc\{([^,]+),\n(.*?)\n\}$", text, flags=re.M | re.S))


def test_the_package_and_the_data_versions_are_kept_apart_and_agree_everywhere():
    package_version, released = _latest("Package")
    data_version, _ = _latest("Data")
    assert package_version == PACKAGE_VERSION == str(CFF["version"]) == ZENODO["version"]
    assert str(CFF["date-released"]) == released == ZENODO["publication_date"]
    assert data_version == DATA["version"]
    [dataset] = [r for r in CFF["references"] if r["type"] == "data"]
    assert str(dataset["version"]) == DATA["version"]
    assert f"version = {{{DATA['version']}}}" in _bib_entries()[citations.DATASET_KEY]


def test_code_is_mit_and_data_cc_by_everywhere():
    assert CFF["license"] == ["MIT", "CC-BY-4.0"]
    assert tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]["license"] == "MIT"
    assert [x["name"] for x in DATA["licenses"]] == ["CC-BY-4.0"]
    [dataset] = [r for r in CFF["references"] if r["type"] == "data"]
    assert dataset["license"] == "CC-BY-4.0"
    assert ZENODO["license"] == "MIT" and "CC BY 4.0" in ZENODO["notes"]
    assert "licence CC-BY-4.0" in _bib_entries()[citations.DATASET_KEY]


def test_one_author_form_per_document_in_manifest_bib_and_cff():
    entries = _bib_entries()
    by_title = {r["title"]: r for r in CFF["references"]}
    for row in sources.manifest():
        if row["collection"] != sources.MINISTRY:
            continue  # the UN statements are cited through their corpus (test_the_corpus_is_cited_as_its_authors_ask)
        author = row["publisher"]
        assert citations._bibtex_text(author) in entries[row["doc_id"]].split("author = {{", 1)[1].split("}}", 1)[0]
        assert [a["name"] for a in by_title[row["title"]]["authors"]] == [author], row["doc_id"]
        assert by_title[row["title"]]["url"] == row["url"]
    related = {r["identifier"] for r in ZENODO["related_identifiers"]}
    assert related == {row["url"] for row in sources.manifest()}


def test_the_corpus_is_cited_as_its_authors_ask():
    titles = {r["title"] for r in CFF["references"]}
    assert "UN General Debate Corpus (UNGDC), 1946-2024" in titles
    assert "Understanding State Preferences With Text As Data: Introducing the UN General Debate Corpus" in titles
    assert "Words to unite nations: The complete UN General Debate Corpus, 1946-present" in titles


def test_the_dataset_has_one_author_form_too():
    names = [c["title"] for c in DATA["contributors"]]
    assert [a["name"] for a in CFF["authors"]] == names
    [dataset] = [r for r in CFF["references"] if r["type"] == "data"]
    assert [a["name"] for a in dataset["authors"]] == names
    assert [c["name"] for c in ZENODO["creators"]] == names
    assert dataset["title"] == DATA["title"]


def test_the_missing_repository_address_is_marked_not_invented():
    text = (paths.ROOT / "CITATION.cff").read_text(encoding="utf-8")
    if "repository-code" in CFF:
        assert CFF["repository-code"].startswith("https://") and "TO-FILL-IN" not in CFF["repository-code"]
    else:
        assert "REPOSITORY ADDRESS NOT RECORDED" in text and "# repository-code:" in text
