"""`python -m belarus_fp.documents add`: a byte-for-byte copy, its manifest row, and clear refusals."""

import contextlib
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from belarus_fp import paths
from belarus_fp.archive import sources
from belarus_fp.archive.tables import load_all
from belarus_fp.commands import documents

SYNTHETIC = Path(__file__).parent / "data" / "synthetic-review-2014.txt"
COMMITTED_MANIFEST = paths.RAW / "manifest.csv"  # the clone's own, resolved before a test points the root elsewhere
FIELDS = {
    "doc_id": "synthetic-2014",
    "title": "Synthetic review of 2014 (test document)",
    "label": "Synthetic 2014",
    "publisher": "belarus_fp tests (synthetic)",
    "genre": "annual activity report",
    "period_covered": "2014",
    "published": "2026 (written for the tests)",
    "url": "https://example.org/synthetic-2014",
    "language": "en",
    "id_prefix": "s14",
}


@pytest.fixture
def repo_copy(tmp_path, monkeypatch):
    """A copy of the repository's data/ under tmp_path/repo, made the package's root."""
    root = tmp_path / "repo"
    shutil.copytree(paths.DATA, root / "data", ignore=shutil.ignore_patterns("proposed"))
    monkeypatch.setenv(paths.ENV_ROOT, str(root))
    return root


def in_process(main, *args, root, module="belarus_fp.documents"):
    """`python -m MODULE ARGS` run in-process: the same ``main``, its exit status and output, without an
    interpreter start per call (test_the_commands_run_as_python_dash_m runs the real commands)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        mp.setenv(paths.ENV_ROOT, str(root))
        try:
            status = main(list(args))
        except SystemExit as exc:
            status = exc.code
    return subprocess.CompletedProcess(["python", "-m", module, *args], status, out.getvalue(), err.getvalue())


def cli(*args, root):
    """`python -m belarus_fp.documents ARGS`, in-process."""
    return in_process(documents.main, *args, root=root)


def options(fields=FIELDS):
    out = []
    for column, value in fields.items():
        out += [documents.OPTIONS[column], value]
    return out


def test_add_copies_byte_for_byte_and_registers_the_document(repo_copy):
    out = cli("add", str(SYNTHETIC), *options(), root=repo_copy)
    assert out.returncode == 0, out.stderr
    raw = repo_copy / "data" / "raw"
    assert (raw / SYNTHETIC.name).read_bytes() == SYNTHETIC.read_bytes()
    row = sources.document_info("synthetic-2014", raw)
    assert row["sha256"] == hashlib.sha256(SYNTHETIC.read_bytes()).hexdigest()
    assert {k: row[k] for k in FIELDS} == FIELDS and row["file"] == SYNTHETIC.name
    assert sources.doc_ids(raw)[-1] == "synthetic-2014"
    package = json.loads((repo_copy / "data" / "curated" / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        doc = next((f for f in res["schema"]["fields"] if f["name"] == "doc_id"), None)
        if doc and "enum" in doc.get("constraints", {}):
            assert doc["constraints"]["enum"] == sources.doc_ids(raw)
    load_all(repo_copy / "data")  # the curated tables still validate with the new document registered
    assert b"synthetic-2014" not in COMMITTED_MANIFEST.read_bytes()


def test_existing_rows_and_documents_are_untouched(repo_copy):
    raw = repo_copy / "data" / "raw"
    before = {p.name: p.read_bytes() for p in raw.iterdir()}
    assert cli("add", str(SYNTHETIC), *options(), root=repo_copy).returncode == 0
    manifest = (raw / "manifest.csv").read_bytes()
    assert manifest.startswith(before["manifest.csv"])
    assert all((raw / name).read_bytes() == data for name, data in before.items() if name != "manifest.csv")


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda f, p: ({**f, "doc_id": "priorities"}, p), "duplicate id 'priorities'"),
        (lambda f, p: ({**f, "label": "Annual review 2013"}, p), "duplicate label 'Annual review 2013'"),
        (lambda f, p: ({**f, "id_prefix": "r13"}, p), "duplicate prefix 'r13'"),
        (lambda f, p: ({k: v for k, v in f.items() if k != "publisher"}, p), "missing field(s): --publisher"),
        (lambda f, p: ({**f, "url": "example.org"}, p), "column 'url': not an http(s) address"),
    ],
)
def test_add_refuses_bad_metadata_and_writes_nothing(repo_copy, tmp_path, change, message):
    fields, path = change(FIELDS, SYNTHETIC)
    before = {p.name: p.read_bytes() for p in (repo_copy / "data" / "raw").iterdir()}
    package = (repo_copy / "data" / "curated" / "datapackage.json").read_bytes()
    out = cli("add", str(path), *options(fields), root=repo_copy)
    assert out.returncode == 1 and message in out.stderr, out.stderr
    assert {p.name: p.read_bytes() for p in (repo_copy / "data" / "raw").iterdir()} == before
    assert (repo_copy / "data" / "curated" / "datapackage.json").read_bytes() == package


def test_add_refuses_a_file_already_in_the_archive(repo_copy, tmp_path):
    same = tmp_path / "renamed.txt"
    shutil.copyfile(paths.RAW / "belarus-foreign-policy-priorities.txt", same)
    out = cli("add", str(same), *options(), root=repo_copy)
    assert out.returncode == 1 and "duplicate file" in out.stderr and "document 'priorities'" in out.stderr
    named = tmp_path / "mfa-annual-review-2013.txt"  # another text under an existing document's name
    named.write_text("A different text with the name of an existing document.\n", encoding="utf-8")
    out = cli("add", str(named), *options(), root=repo_copy)
    assert out.returncode == 1 and "already exists" in out.stderr and "never replaced" in out.stderr
    assert (repo_copy / "data" / "raw" / named.name).read_bytes() == (paths.RAW / named.name).read_bytes()


def test_add_refuses_a_file_that_is_not_utf8(repo_copy, tmp_path):
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Belarus and the Caf\u00e9 diplomacy.\n".encode("latin-1"))
    out = cli("add", str(latin), *options(), root=repo_copy)
    assert out.returncode == 1 and "not UTF-8" in out.stderr and "at byte 19" in out.stderr
    assert not (repo_copy / "data" / "raw" / latin.name).exists()


@pytest.mark.slow
def test_the_commands_run_as_python_dash_m(repo_copy):
    """`python -m belarus_fp.documents add ...` then `python -m belarus_fp.propose DOC_ID`, as a user types them."""
    env = {**os.environ, paths.ENV_ROOT: str(repo_copy)}
    out = subprocess.run(
        [sys.executable, "-m", "belarus_fp.documents", "add", str(SYNTHETIC), *options()], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0 and "added 'synthetic-2014'" in out.stdout, out.stderr
    out = subprocess.run([sys.executable, "-m", "belarus_fp.propose", "synthetic-2014"], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert (repo_copy / "data" / "proposed" / "synthetic-2014" / "facts.csv").is_file()
    out = subprocess.run([sys.executable, "-m", "belarus_fp.documents", "add"], capture_output=True, text=True, env=env)
    assert out.returncode == 2 and "usage: python -m belarus_fp.documents" in out.stderr  # argparse's refusal
