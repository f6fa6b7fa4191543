"""The manifest is the registry: code names no document by id, and no document's specifics.

Module code and notebook code cells take document ids, labels, colours and orders from
``data/raw/manifest.csv``. The analyses about one specific text take its id, its fact ids and the year
its labels give from that text's module in ``belarus_fp.archive.texts``; no other module writes a
document's id, a fact id of a document (its ``id_prefix`` and a hyphen: ``r13-...``) or a year into
a string or number literal, so a new document inherits no other's specifics. Docstrings and comments
are prose and may name all three.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import nbformat
import pytest
from conftest import archive_with_documents

from belarus_fp.archive import sources
from belarus_fp.archive.tables import load_table
from belarus_fp.archive.texts import priorities, review_2013
from belarus_fp.viz import documents as documents_figures
from belarus_fp.viz.figures import PALETTE

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "belarus_fp"
#: The one place for a document's specifics: its modules may name it, its fact ids and its years.
TEXTS = SRC / "archive" / "texts"
#: (file, line text) allowed to name a doc_id as a string literal.
ALLOWED = {
    # words, not an id: "the priorities page only" (UN initiatives matched by theme)
    ("initiatives.py", 'MATCHED, PRIORITIES_ONLY, REVIEW_ONLY = INITIATIVE_STATUSES = ("matched", "priorities only", "review only")'),
}
#: (module under src/belarus_fp, a part of the literal) -> why that literal may hold a year or a fact id.
ALLOWED_SPECIFICS = {
    ("analysis/trade.py", "new_export_countries_2013"): "a key of groupings.csv (the curated id names its year), not a label",
    ("archive/citations.py", "cite('r13-"): "the example key of cite's usage message (the one the README shows)",
    ("archive/citations.py", "@article{"): "a publication's year in the bibliography a collection's authors ask for",
    ("archive/sources.py", "1900-2099"): "the manifest's rule for a year, in its message",
    ("commands/documents.py", "(2014, 2014-2016, about 2016)"): "examples of the syntax of --period, in its message",
    ("commands/documents.py", "a year (2015)"): "an example of the syntax of --published, in its message",
    ("commands/documents.py", 1900): "the earliest year a document's period may give",
}
#: A year 1900-2099 standing alone (not part of a longer number or word: "#2013FF" is a colour).
YEAR = re.compile(r"(?<![0-9A-Za-z])(?:19|20)[0-9]{2}(?![0-9A-Za-z])")


def _docstrings(tree) -> set[int]:
    """The ids of the docstring nodes of a parsed module (prose, not code)."""
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }


@cache
def _constants(code: str) -> tuple:
    """(line, value) of every constant of ``code`` outside docstrings, in reading order (an f-string's parts included)."""
    tree = ast.parse(code)
    docstrings = _docstrings(tree)
    nodes = [node for node in ast.walk(tree) if isinstance(node, ast.Constant) and id(node) not in docstrings]
    return tuple((node.lineno, node.value) for node in sorted(nodes, key=lambda n: (n.lineno, n.col_offset)))


def literal_ids(code: str, doc_ids) -> list[tuple[int, str]]:
    """(line, literal) of every string constant in ``code`` equal to a doc_id (docstrings are prose)."""
    derived = {f"{doc_id} only" for doc_id in doc_ids}  # organisations_by_document's labels, e.g. 'review-2013 only'
    return [(line, value) for line, value in _constants(code) if isinstance(value, str) and (value in doc_ids or value in derived)]


def literal_specifics(code: str, prefixes) -> list[tuple[int, object]]:
    """(line, literal) of every constant in ``code`` that is a year (1900-2099), or a string that holds one or
    holds a fact id of a document (one of ``prefixes`` and a hyphen: ``"r13-agreements-concluded"``)."""
    fact_id = re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, prefixes))})-") if prefixes else None

    def specific(value) -> bool:
        if isinstance(value, str):
            return bool(YEAR.search(value) or (fact_id and fact_id.search(value)))
        return isinstance(value, (int, float)) and not isinstance(value, bool) and 1900 <= value <= 2099 and value == int(value)

    return [(line, value) for line, value in _constants(code) if specific(value)]


def _modules():
    """(path relative to src/belarus_fp, text) of every module outside ``archive/texts/``."""
    for path in sorted(SRC.rglob("*.py")):
        if TEXTS not in path.parents:
            yield path.relative_to(SRC).as_posix(), path.read_text(encoding="utf-8")


def _matches(part, value) -> bool:
    """An allow-entry's part matches a literal: a number equal to it, a string containing it."""
    return part in value if isinstance(part, str) and isinstance(value, str) else part == value and not isinstance(value, str)


def _allowed(module: str, value) -> bool:
    return any(where == module and _matches(part, value) for where, part in ALLOWED_SPECIFICS)


def test_the_finder_sees_a_literal_doc_id():
    code = 'x = frame[frame["doc_id"] == "review-2013"]\ny = f"{words[\'priorities\']}"\n'
    assert [v for _, v in literal_ids(code, {"review-2013", "priorities"})] == ["review-2013", "priorities"]
    assert literal_ids('"""About review-2013."""\nx = "the priorities page"\n', {"review-2013", "priorities"}) == []
    assert [v for _, v in literal_ids('named[named["named_in"] == "review-2013 only"]', {"review-2013"})] == ["review-2013 only"]


def test_the_finder_sees_a_literal_fact_id_or_year():
    prefixes = {"r13", "pri", "un1946"}
    code = 'a = get(facts, "r13-x")\nb = "Embassy opened in 2013"\nc = f"{n} visits in 2013"\nd = 2014\ne = "un1946-y"\n'
    assert [v for _, v in literal_specifics(code, prefixes)] == ["r13-x", "Embassy opened in 2013", " visits in 2013", 2014, "un1946-y"]
    prose = '"""Facts r13-x of 2013."""\n\n\ndef f():\n    """In 2013."""\n    return 1  # 2013, r13-x\n'
    assert literal_specifics(prose, prefixes) == []
    derived = 'a = f"in {review_2013.YEAR}"\nb = "#2013FF"\nc = "share_r13"\nd = "spri-x"\ne = 1899\nf = True\ng = "20130"\n'
    assert literal_specifics(derived, prefixes) == []


def test_no_module_names_a_document_by_id():
    doc_ids = set(sources.doc_ids())
    found = []
    for module, code in _modules():
        lines = code.splitlines()
        for line, value in literal_ids(code, doc_ids):
            if (Path(module).name, lines[line - 1].strip()) not in ALLOWED:
                found.append(f"{module}:{line}: {value!r}")
    assert not found, "doc_ids written into module code (use the manifest, or the text's module in archive/texts):\n" + "\n".join(found)


def test_no_module_writes_a_document_s_fact_ids_or_years():
    prefixes = {row["id_prefix"] for row in sources.manifest()}
    found = [
        f"{module}:{line}: {value!r}"[:200]
        for module, code in _modules()
        for line, value in literal_specifics(code, prefixes)
        if not _allowed(module, value)
    ]
    assert not found, (
        "fact ids or years written into module code (a document's specifics go in its module of archive/texts;"
        " a year in a label is that module's YEAR):\n" + "\n".join(found)
    )


def test_every_allowed_specific_is_still_there():
    """An allow-entry whose literal went away is removed, so the list stays the list of exceptions."""
    modules, prefixes = dict(_modules()), {row["id_prefix"] for row in sources.manifest()}
    stale = [
        (module, part)
        for module, part in ALLOWED_SPECIFICS
        if not any(_matches(part, value) for _, value in literal_specifics(modules[module], prefixes))
    ]
    assert not stale, f"allow-entries that match no literal: {stale}"


@pytest.mark.parametrize("text", [review_2013, priorities], ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_a_text_module_is_its_document_s_own(text):
    """Its DOC_ID is in the manifest, its YEAR is the manifest's ``year`` of the document, every fact id it
    names is a fact of that document, and it names no other document's fact ids."""
    rows = {row["doc_id"]: row for row in sources.manifest()}
    assert str(text.YEAR) == rows[text.DOC_ID]["year"]
    prefix = rows[text.DOC_ID]["id_prefix"]
    strings = [v for _, v in _constants(Path(text.__file__).read_text(encoding="utf-8")) if isinstance(v, str)]
    facts = load_table("facts").set_index("fact_id")["doc_id"]
    named = [v for v in strings if v.startswith(f"{prefix}-")]
    assert set(named) <= set(facts.index) and set(facts[named]) <= {text.DOC_ID}
    others = [v for v in strings for row in rows.values() if row["id_prefix"] != prefix and v.startswith(f"{row['id_prefix']}-")]
    assert not others, f"{text.__name__} names facts of other documents: {others}"


def test_no_notebook_code_cell_names_a_document_by_id():
    doc_ids = set(sources.doc_ids())
    found = []
    for nb_path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for n, cell in enumerate(nbformat.read(nb_path, as_version=4).cells):
            if cell.cell_type == "code":
                code = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
                found += [f"{nb_path.name} cell {n} line {line}: {value!r}" for line, value in literal_ids(code, doc_ids)]
    assert not found, "doc_ids written into notebook code:\n" + "\n".join(found)


def test_labels_sources_and_colours_come_from_the_manifest():
    manifest = sources.manifest()
    assert list(sources.labels()) == [row["doc_id"] for row in manifest]
    assert list(sources.labels().values()) == [row["label"] for row in manifest]
    assert [sources.source_name(row["doc_id"]) for row in manifest] == [row["source_name"] for row in manifest]
    ministry = sources.doc_ids(collection=sources.MINISTRY)
    assert list(documents_figures.document_colours().values()) == list(PALETTE[: len(ministry)])
    assert list(sources.doc_bits(docs=ministry).values()) == [1 << i for i in range(len(ministry))]
    assert review_2013.DOC_ID in sources.labels() and priorities.DOC_ID in sources.labels()


def test_a_document_without_a_source_name_is_named_by_publisher_and_title(data_copy):
    raw = data_copy / "raw"
    text = (raw / sources.MANIFEST).read_text(encoding="utf-8")
    name = sources.source_name(priorities.DOC_ID)
    (raw / sources.MANIFEST).write_text(text.replace(f'"{name}"', ""), encoding="utf-8")
    info = sources.document_info(priorities.DOC_ID, data_copy)
    assert sources.source_name(priorities.DOC_ID, data_copy) == f"{info['publisher']}, {info['title']}"


def test_document_offsets_spread_the_markers_symmetrically():
    offsets = documents_figures.document_offsets(0.2)
    assert len(offsets) == len(sources.doc_ids(collection=sources.MINISTRY))
    assert offsets == sorted(offsets) and abs(offsets[0] + offsets[-1]) < 1e-12
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", documents_figures.document_colours()[review_2013.DOC_ID])


def synthetic(tmp_path, n):
    """An archive whose manifest lists n documents doc0, doc1, ... (nothing else)."""
    return archive_with_documents(tmp_path / str(n), [{"doc_id": f"doc{i}", "id_prefix": f"d{i}"} for i in range(n)], keep=False)


def test_every_document_has_its_own_colour_and_marker_up_to_the_palette_s_size(tmp_path):
    for n in (1, 2, len(PALETTE)):
        ids, archive = [f"doc{i}" for i in range(n)], synthetic(tmp_path, n)
        colours, markers = documents_figures.document_colours(archive), documents_figures.document_markers(archive)
        assert list(colours) == list(markers) == ids
        assert len(set(colours.values())) == len({m for m, _ in markers.values()}) == n
    n = len(PALETTE) + 1  # one more: refused, not drawn with a repeated colour or left out
    for style in (documents_figures.document_colours, documents_figures.document_markers):
        with pytest.raises(ValueError, match=f"{n} documents; the per-document figures tell at most {len(PALETTE)} apart"):
            style(synthetic(tmp_path / style.__name__, n))
