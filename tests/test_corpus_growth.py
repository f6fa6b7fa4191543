"""A real UN statement added later goes through add, propose, accept and the build without touching code.

The archive's last statement (``ungd-2024``) is taken out of a copy of the repository and added back with
the one-document command, as a curator would add the 2025 statement: its manifest row, the derived
mentions table and notebook 08 come out as they are on main.
"""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from test_documents import in_process
from test_propose import mark, propose_main, read

from belarus_fp import paths
from belarus_fp.analysis import mention_table
from belarus_fp.archive import citations, sources, tables, vocabulary
from belarus_fp.archive.folders import Archive
from belarus_fp.commands import documents, execution, ungd

DOC = "ungd-2024"
pytestmark = pytest.mark.slow


def _without(root, doc_id):
    """Take ``doc_id`` out of the copy at ``root``: its file, its manifest row, its enums and BibTeX entry."""
    raw, curated = root / "data" / "raw", root / "data" / "curated"
    info = sources.document_info(doc_id, raw.parent)
    (raw / info["file"]).unlink()
    text = (raw / sources.MANIFEST).read_text(encoding="utf-8")
    header, *rows = list(csv.reader(io.StringIO(text)))
    kept = io.StringIO()
    csv.writer(kept, lineterminator="\n").writerows([header, *(r for r in rows if r[0] != doc_id)])
    (raw / sources.MANIFEST).write_text(kept.getvalue(), encoding="utf-8")
    package = json.loads((curated / "datapackage.json").read_text(encoding="utf-8"))
    (curated / "datapackage.json").write_text(vocabulary.datapackage_text(vocabulary.with_enums(package, raw.parent)), encoding="utf-8")
    (raw / "references.bib").write_text(citations.bibtex(raw.parent), encoding="utf-8")
    return info


def test_a_un_statement_added_later_goes_through_add_propose_accept_and_the_build(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    shutil.copytree(paths.DATA, root / "data", ignore=shutil.ignore_patterns("proposed", ".transaction"))
    shutil.copytree(paths.NOTEBOOKS, root / "notebooks", ignore=shutil.ignore_patterns("own", "0[0-7]-*"))
    shutil.copytree(paths.ROOT / "tests" / "data", root / "tests" / "data")
    before = sources.document_info(DOC)
    info = _without(root, DOC)
    with open(paths.DATA / "external" / "ungd-belarus" / "metadata.csv", encoding="utf-8") as fh:
        record = next(r for r in csv.DictReader(fh) if r["file"] == info["file"])
    fields = ungd.manifest_fields(record)
    fields.pop("sha256")
    args = ["add", str(paths.RAW / info["file"])]
    for column, value in fields.items():
        args += [{**documents.OPTIONS, **documents.OPTIONAL}[column], value]
    out = in_process(documents.main, *args, root=root)
    assert out.returncode == 0, out.stderr
    assert sources.document_info(DOC, root / "data") == before  # the same row as the batch import made

    monkeypatch.setenv(paths.ENV_ROOT, str(root))
    out = propose_main(DOC, root=root)
    assert out.returncode == 0, out.stderr
    folder = root / "data" / "proposed" / DOC
    assert {r["status"] for r in read(folder / "facts.csv")} == {"proposed"}
    # a curator's pick: the UN's bare mentions with a quote long enough to prove a row (the loader refuses shorter ones)
    mark(folder / "multilateral.csv", lambda r: r["org_id"] == "UN" and r["engagement"] == "mentioned" and len(r["quote"]) >= 60)
    out = propose_main("accept", DOC, root=root)
    assert out.returncode == 0, out.stdout + out.stderr
    loaded = tables.load_all(root / "data")  # the full validation, with the re-added statement's rows
    assert (loaded["multilateral"]["doc_id"] == DOC).any()

    monkeypatch.setenv(paths.ENV_FIGURES, str(root / "figures"))
    derived = root / "data" / "derived" / "ungd_mentions.csv"
    derived.write_text(mention_table.mentions_csv(Archive(root)), encoding="utf-8")
    assert derived.read_bytes() == (paths.DATA / "derived" / "ungd_mentions.csv").read_bytes()
    execution.execute_all(sorted((root / "notebooks").glob("08-*.ipynb")), jobs=1, log=lambda m: None)
