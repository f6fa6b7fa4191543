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
from conftest import copy_data

from belarus_fp import paths
from belarus_fp.archive import Archive, sources
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
    "collection": "ministry",
    "year": "2014",
}


@pytest.fixture
def repo_copy(tmp_path, monkeypatch, request):
    """A copy of the repository's data/ under tmp_path/repo, made the package's root."""
    root = tmp_path / "repo"
    copy_data(paths.DATA, root / "data", request, ignore=shutil.ignore_patterns("proposed"))
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
        out += [f"{documents.OPTIONS[column]}={value}"] if value.startswith("-") else [documents.OPTIONS[column], value]
    return out


def test_add_copies_byte_for_byte_and_registers_the_document(repo_copy):
    out = cli("add", str(SYNTHETIC), *options(), root=repo_copy)
    assert out.returncode == 0, out.stderr
    raw = repo_copy / "data" / "raw"
    archive = Archive(repo_copy)
    assert (raw / SYNTHETIC.name).read_bytes() == SYNTHETIC.read_bytes()
    row = sources.document_info("synthetic-2014", archive)
    assert row["sha256"] == hashlib.sha256(SYNTHETIC.read_bytes()).hexdigest()
    assert {k: row[k] for k in FIELDS} == FIELDS and row["file"] == SYNTHETIC.name
    assert sources.doc_ids(archive)[-1] == "synthetic-2014"
    package = json.loads((repo_copy / "data" / "curated" / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        doc = next((f for f in res["schema"]["fields"] if f["name"] == "doc_id"), None)
        if doc and "enum" in doc.get("constraints", {}):
            assert doc["constraints"]["enum"] == sources.doc_ids(archive)
    load_all(repo_copy / "data")  # the curated tables still validate with the new document registered
    assert b"synthetic-2014" not in COMMITTED_MANIFEST.read_bytes()


def test_existing_rows_and_documents_are_untouched(repo_copy):
    raw = repo_copy / "data" / "raw"
    before = {p.name: p.read_bytes() for p in raw.iterdir()}
    assert cli("add", str(SYNTHETIC), *options(), root=repo_copy).returncode == 0
    manifest = (raw / "manifest.csv").read_bytes()
    assert manifest.startswith(before["manifest.csv"])
    assert all((raw / name).read_bytes() == data for name, data in before.items() if name not in ("manifest.csv", "references.bib"))
    bib = (raw / "references.bib").read_text(encoding="utf-8")  # regenerated in the same transaction
    old_entries = ["@" + entry for entry in before["references.bib"].decode("utf-8").split("\n@")[1:]]
    assert "@misc{synthetic-2014," in bib and all(entry.strip() in bib for entry in old_entries)
    from belarus_fp.archive import citations

    assert bib == citations.bibtex(raw.parent)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda f, p: ({**f, "doc_id": "priorities"}, p), "duplicate id 'priorities'"),
        (lambda f, p: ({**f, "label": "Annual review 2013"}, p), "duplicate label 'Annual review 2013'"),
        (lambda f, p: ({**f, "id_prefix": "r13"}, p), "duplicate prefix 'r13'"),
        (lambda f, p: ({k: v for k, v in f.items() if k != "publisher"}, p), "missing field(s): --publisher"),
        (lambda f, p: ({**f, "url": "example.org"}, p), "--url 'example.org': not an http(s) address"),
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


# ---- what is not a text, malformed fields, links, faults, two writers, interruptions ----------------------


def _archive_state(root):
    """Every file of the archive (but the transaction's own folder and proposals): {relative path: bytes}."""
    data = root / "data"
    return {
        str(p.relative_to(data)): p.read_bytes()
        for p in sorted(data.rglob("*"))
        if p.is_file() and not p.is_symlink() and p.relative_to(data).parts[0] != ".transaction" and ".txn-" not in p.name
    }


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty (no text at all)"),
        (b"  \n\n\xc2\xa0 \n", "empty (no text at all)"),
        (b"\0" * 1000, "line 1, column 1: control character U+0000 (NUL)"),
        (b"Belarus and Poland held talks.\nA bell\x07 rang.\n", "line 2, column 7: control character U+0007 (BELL)"),
        (b"Two words", "not a document any row could quote"),
        (b"x" * (documents.MAX_BYTES + 1), "over the limit of 1,048,576 bytes"),
    ],
    ids=["empty", "whitespace", "nul", "bell", "two-words", "too-long"],
)
def test_add_refuses_what_is_not_a_text(repo_copy, tmp_path, content, message):
    path = tmp_path / "not-a-text.txt"
    path.write_bytes(content)
    before = _archive_state(repo_copy)
    out = cli("add", str(path), *options(), root=repo_copy)
    assert out.returncode == 1 and message in out.stderr, out.stderr
    assert _archive_state(repo_copy) == before


def test_add_takes_tabs_form_feeds_and_carriage_returns(repo_copy, tmp_path):
    path = tmp_path / "controls.txt"
    path.write_bytes(b"Belarus and Poland\theld talks on trade in 2014.\r\n\f\r\nThe two countries signed an agreement.\r\n")
    out = cli("add", str(path), *options(), root=repo_copy)
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("period_covered", "banana", "--period 'banana': not a period"),
        ("period_covered", "1066", "--period '1066': not a period"),
        ("published", "soon", "--published 'soon': not a date of publication"),
        ("published", "2010", "published in 2010, before the period it covers (2014)"),
        ("url", "https://example.org/}, note = {injected", "--url 'https://example.org/}, note = {injected': not an http(s) address"),
        ("url", "javascript:alert(1)", "not an http(s) address"),
        ("url", "https:///no-host", "not an http(s) address"),
        ("language", "English", "--language 'English': not a language code"),
        ("title", '=HYPERLINK("http://evil.example","click")', "a spreadsheet would evaluate it as a formula"),
        ("label", "@SUM(A1:A9)", "a spreadsheet would evaluate it as a formula"),
        ("publisher", "+cmd|' /C calc'!A0", "a spreadsheet would evaluate it as a formula"),
        ("genre", "-2+3", "a spreadsheet would evaluate it as a formula"),
        ("title", "A title\nwith a line break", "invisible character U+000A"),
    ],
)
def test_add_refuses_fields_that_are_not_what_they_say(repo_copy, column, value, message):
    before = _archive_state(repo_copy)
    out = cli("add", str(SYNTHETIC), *options({**FIELDS, column: value}), root=repo_copy)
    assert out.returncode == 1 and message in out.stderr, out.stderr
    assert _archive_state(repo_copy) == before


@pytest.mark.parametrize("name", ["manifest.csv", ".hidden.txt", "references.bib", "review.pdf"])
def test_add_refuses_a_file_name_that_is_not_a_document_s(repo_copy, tmp_path, name):
    path = tmp_path / name
    shutil.copyfile(SYNTHETIC, path)
    out = cli("add", str(path), *options(), root=repo_copy)
    assert out.returncode == 1 and "a document's file name is letters" in out.stderr, out.stderr


def test_a_dangling_link_in_data_raw_is_refused_and_nothing_is_written_through_it(repo_copy, tmp_path):
    outside = tmp_path / "outside" / SYNTHETIC.name
    outside.parent.mkdir()
    link = repo_copy / "data" / "raw" / SYNTHETIC.name
    os.symlink(outside, link)  # dangling: its target does not exist
    before = _archive_state(repo_copy)
    out = cli("add", str(SYNTHETIC), *options(), root=repo_copy)
    assert out.returncode == 1 and "is a symbolic link" in out.stderr and "Nothing was changed" in out.stderr, out.stderr
    assert not outside.exists() and os.path.islink(link)  # the link is left for the user to remove, not deleted
    assert _archive_state(repo_copy) == before


def test_add_on_a_full_disk_names_it_and_changes_nothing(repo_copy, monkeypatch):
    from belarus_fp.archive import transaction

    def full(fd, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(transaction, "_write_chunk", full)
    before = _archive_state(repo_copy)
    out = cli("add", str(SYNTHETIC), *options(), root=repo_copy)
    assert out.returncode == 1 and "no space left on the device holding data/raw/" in out.stderr, out.stderr
    assert "Traceback" not in out.stderr and _archive_state(repo_copy) == before
    assert not [p for p in (repo_copy / "data").rglob("*.tmp")]


def test_add_on_a_read_only_checkout_names_it(repo_copy, monkeypatch):
    from belarus_fp.archive import transaction

    real_open = os.open

    def read_only(path, flags, *args, **kwargs):
        if flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR):
            raise OSError(30, "Read-only file system")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(transaction.os, "open", read_only)
    out = cli("add", str(SYNTHETIC), *options(), root=repo_copy)
    assert out.returncode == 1 and "read-only file system" in out.stderr and "Traceback" not in out.stderr, out.stderr


def test_bibtex_fields_are_escaped(repo_copy):
    from belarus_fp.archive import citations

    manifest = repo_copy / "data" / "raw" / "manifest.csv"
    text = manifest.read_text(encoding="utf-8").replace(
        "Annual Review of Foreign Policy", "Annual {Review} of 100% \\Foreign_Policy~^ & #1"
    )
    manifest.write_text(text, encoding="utf-8")
    bib = citations.bibtex(repo_copy / "data")
    entry = bib.split("@misc{priorities")[0]
    assert r"Annual \{Review\} of 100\% \textbackslash{}Foreign\_Policy\textasciitilde{}\textasciicircum{} \& \#1" in entry
    assert entry.count("{") == entry.count("}")


@pytest.mark.slow
def test_two_adds_at_once_both_reach_the_manifest(repo_copy, tmp_path):
    """Two `documents add` processes at once: one waits for the other; both documents are registered."""
    env = {**os.environ, paths.ENV_ROOT: str(repo_copy)}
    second = tmp_path / "second-2015.txt"
    second.write_text(SYNTHETIC.read_text(encoding="utf-8").replace("2014", "2015"), encoding="utf-8")
    fields2 = {**FIELDS, "doc_id": "synthetic-2015", "label": "Synthetic 2015", "id_prefix": "s15", "period_covered": "2015"}
    procs = [
        subprocess.Popen([sys.executable, "-m", "belarus_fp.documents", "add", str(path), *options(f)], env=env, stderr=subprocess.PIPE)
        for path, f in ((SYNTHETIC, FIELDS), (second, fields2))
    ]
    errors = [p.communicate(timeout=180)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    raw = repo_copy / "data" / "raw"
    assert sources.doc_ids(raw.parent)[-2:] in (["synthetic-2014", "synthetic-2015"], ["synthetic-2015", "synthetic-2014"])
    load_all(repo_copy / "data")
    from belarus_fp.archive import citations

    assert (raw / "references.bib").read_text(encoding="utf-8") == citations.bibtex(raw.parent)


@pytest.mark.slow
@pytest.mark.parametrize("point", ["staged", "journaled", "replaced-one"])
def test_add_killed_mid_write_leaves_old_or_new_and_the_rerun_completes(repo_copy, point):
    from belarus_fp.archive import transaction

    env = {**os.environ, paths.ENV_ROOT: str(repo_copy)}
    before = _archive_state(repo_copy)
    command = [sys.executable, "-m", "belarus_fp.documents", "add", str(SYNTHETIC), *options()]
    out = subprocess.run(command, env={**env, transaction.ENV_KILL_AT: point}, capture_output=True, text=True)
    assert out.returncode == -9, out.stderr
    if point == "staged":
        assert _archive_state(repo_copy) == before  # the old archive (staged copies are hidden temporary files)
    else:
        with pytest.raises(Exception, match="was interrupted before it completed"):  # readers are told, never served half
            load_all(repo_copy / "data")
    rerun = subprocess.run(command, env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert ("completed the interrupted `documents add synthetic-2014`" in rerun.stderr) == (point != "staged"), rerun.stderr
    assert sources.doc_ids(repo_copy / "data")[-1] == "synthetic-2014"
    load_all(repo_copy / "data")
    assert not [p for p in (repo_copy / "data").rglob("*") if ".txn-" in p.name]


def test_a_rerun_of_a_completed_add_changes_nothing_and_says_so(repo_copy):
    first = cli("add", str(SYNTHETIC), *options(), root=repo_copy)
    assert first.returncode == 0 and "added 'synthetic-2014'" in first.stdout and "1 document(s) added" in first.stdout
    manifest = (repo_copy / "data" / "raw" / "manifest.csv").read_bytes()
    again = cli("add", str(SYNTHETIC), *options(), root=repo_copy)
    assert again.returncode == 0 and "nothing to do" in again.stderr
    assert "added '" not in again.stdout and "0 document(s) added" in again.stdout  # never claims to have added it
    assert (repo_copy / "data" / "raw" / "manifest.csv").read_bytes() == manifest
