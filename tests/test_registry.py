"""The manifest is the registry (issue #15 part 1): code names no document by id.

Module code and notebook code cells take document ids, labels, colours and orders from
``data/raw/manifest.csv``. The one exception is ``sources.REVIEW`` / ``sources.PRIORITIES``,
the named constants for the analyses about one specific text.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
from conftest import archive_with_documents

from belarus_fp.archive import sources
from belarus_fp.viz import documents as documents_figures
from belarus_fp.viz.figures import PALETTE

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "belarus_fp"
#: (file, line text) allowed to name a doc_id as a string literal.
ALLOWED = {
    ("sources.py", 'REVIEW = "review-2013"'),
    ("sources.py", 'PRIORITIES = "priorities"'),
    # words, not an id: "the priorities page only" (UN initiatives matched by theme)
    ("initiatives.py", 'MATCHED, PRIORITIES_ONLY, REVIEW_ONLY = INITIATIVE_STATUSES = ("matched", "priorities only", "review only")'),
}


def literal_ids(code: str, doc_ids) -> list[tuple[int, str]]:
    """(line, literal) of every string constant in ``code`` equal to a doc_id (docstrings are prose)."""
    tree = ast.parse(code)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body and isinstance(node.body[0], ast.Expr)
    }
    derived = {f"{doc_id} only" for doc_id in doc_ids}  # organisations_by_document's labels, e.g. 'review-2013 only'
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and (node.value in doc_ids or node.value in derived) and id(node) not in docstrings
    ]


def test_the_finder_sees_a_literal_doc_id():
    code = 'x = frame[frame["doc_id"] == "review-2013"]\ny = f"{words[\'priorities\']}"\n'
    assert [v for _, v in literal_ids(code, {"review-2013", "priorities"})] == ["review-2013", "priorities"]
    assert literal_ids('"""About review-2013."""\nx = "the priorities page"\n', {"review-2013", "priorities"}) == []
    assert [v for _, v in literal_ids('named[named["named_in"] == "review-2013 only"]', {"review-2013"})] == ["review-2013 only"]


def test_no_module_names_a_document_by_id():
    doc_ids = set(sources.doc_ids())
    found = []
    for path in sorted(SRC.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for line, value in literal_ids(path.read_text(encoding="utf-8"), doc_ids):
            if (path.name, lines[line - 1].strip()) not in ALLOWED:
                found.append(f"{path.name}:{line}: {value!r}")
    assert not found, "doc_ids written into module code (use the manifest or sources.REVIEW/PRIORITIES):\n" + "\n".join(found)


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
    assert sources.REVIEW in sources.labels() and sources.PRIORITIES in sources.labels()


def test_a_document_without_a_source_name_is_named_by_publisher_and_title(data_copy):
    raw = data_copy / "raw"
    text = (raw / sources.MANIFEST).read_text(encoding="utf-8")
    name = sources.source_name(sources.PRIORITIES)
    (raw / sources.MANIFEST).write_text(text.replace(f'"{name}"', ""), encoding="utf-8")
    info = sources.document_info(sources.PRIORITIES, raw)
    assert sources.source_name(sources.PRIORITIES, raw) == f"{info['publisher']}, {info['title']}"


def test_document_offsets_spread_the_markers_symmetrically():
    offsets = documents_figures.document_offsets(0.2)
    assert len(offsets) == len(sources.doc_ids(collection=sources.MINISTRY))
    assert offsets == sorted(offsets) and abs(offsets[0] + offsets[-1]) < 1e-12
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", documents_figures.document_colours()[sources.REVIEW])


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
