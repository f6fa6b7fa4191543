# ruff: noqa: F811  (the fixtures imported from test_propose are redefined as arguments)
"""`propose` and `propose accept` never lose or half-write data: two writers, a full disk, a
read-only checkout, SIGKILL mid-write, links out of the archive, a file in the way, formula cells."""

import csv
import os
import shutil
import subprocess
import sys

import pytest
from test_documents import FIELDS, SYNTHETIC, in_process, options, repo_copy  # noqa: F401  (fixture)
from test_propose import (  # noqa: F401  (fixtures)
    mark,
    propose_main,
    read,
    synthetic_added,
    synthetic_added_once,
    synthetic_proposed,
    synthetic_proposed_once,
)

from belarus_fp import paths
from belarus_fp.archive import reading, sources, tables, transaction
from belarus_fp.commands import documents, propose

DOC = FIELDS["doc_id"]


def state(root):
    """Every file of data/ but the transaction's own folder and its hidden staged files: {path: bytes}."""
    data = root / "data"
    return {
        str(p.relative_to(data)): p.read_bytes()
        for p in sorted(data.rglob("*"))
        if p.is_file() and not p.is_symlink() and p.relative_to(data).parts[0] != transaction.FOLDER and ".txn-" not in p.name
    }


def accept_the_trade_fact(root, doc=DOC):
    mark(root / "data" / "proposed" / doc / "facts.csv", lambda r: r["value_text"] == "2.5")


def test_accept_on_a_full_disk_names_it_and_changes_nothing(synthetic_proposed, monkeypatch):
    accept_the_trade_fact(synthetic_proposed)
    before = state(synthetic_proposed)

    def full(fd, data):
        raise OSError(28, "No space left on device")

    real = transaction._write_chunk
    monkeypatch.setattr(transaction, "_write_chunk", full)
    out = propose_main("accept", DOC, root=synthetic_proposed)
    assert out.returncode == 1 and "no space left on the device holding data/curated/facts.csv" in out.stderr, out.stderr
    assert "nothing was changed" in out.stderr and "Traceback" not in out.stderr
    assert state(synthetic_proposed) == before
    monkeypatch.setattr(transaction, "_write_chunk", real)
    out = propose_main("accept", DOC, root=synthetic_proposed)  # space freed: the rerun moves the row
    assert out.returncode == 0 and "accepted 1 row(s) into data/curated/facts.csv" in out.stdout, out.stdout + out.stderr


def test_accept_on_a_read_only_checkout_names_it(synthetic_proposed, monkeypatch):
    accept_the_trade_fact(synthetic_proposed)
    real_open = os.open

    def read_only(path, flags, *args, **kwargs):
        if flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR):
            raise OSError(30, "Read-only file system")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(transaction.os, "open", read_only)
    out = propose_main("accept", DOC, root=synthetic_proposed)
    assert out.returncode == 1 and "read-only file system" in out.stderr and "Traceback" not in out.stderr, out.stderr


def test_propose_writes_nothing_through_a_symlinked_proposals_folder(synthetic_added, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (synthetic_added / "data" / "proposed").mkdir(exist_ok=True)
    os.symlink(outside, synthetic_added / "data" / "proposed" / DOC)
    out = propose_main(DOC, root=synthetic_added)
    assert out.returncode == 1 and f"data/proposed/{DOC} is a symbolic link" in out.stderr, out.stderr
    assert list(outside.iterdir()) == []
    out = propose_main(DOC, "--force", root=synthetic_added)
    assert out.returncode == 1 and list(outside.iterdir()) == []


def test_a_file_in_place_of_the_proposals_folder_is_named(synthetic_added):
    (synthetic_added / "data" / "proposed").mkdir(exist_ok=True)
    (synthetic_added / "data" / "proposed" / DOC).write_text("not a folder")
    for args in ((DOC,), ("accept", DOC)):
        out = propose_main(*args, root=synthetic_added)
        assert out.returncode == 1 and f"data/proposed/{DOC} is not a folder (a file is in the way)" in out.stderr, out.stderr
        assert "Traceback" not in out.stderr


def test_no_proposed_cell_is_a_formula_and_quotes_stay_verbatim(repo_copy, tmp_path):
    text = SYNTHETIC.read_text(encoding="utf-8") + (
        '\n=HYPERLINK("http://evil.example","click") In 2014, Belarus and Poland signed 3 agreements on trade.\n\n'
        "@SUM(1+1) The trade turnover with Chile amounted to $0.4 billion in 2014.\n\n"
        "+cmd|' /C calc'!A0 Belarus held 7 meetings with Peru.\n"
    )
    path = tmp_path / "injected-2014.txt"
    path.write_text(text, encoding="utf-8")
    assert in_process(documents.main, "add", str(path), *options(), root=repo_copy).returncode == 0
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(paths.ENV_ROOT, str(repo_copy))
        assert propose_main(DOC, root=repo_copy).returncode == 0
    folder = repo_copy / "data" / "proposed" / DOC
    quotes = []
    for name in propose.TABLES:
        for row in read(folder / f"{name}.csv"):
            assert not [(c, v) for c, v in row.items() if reading.formula_problem(v)], (name, row)
            quotes.append(row["quote"])
    assert any(q.startswith("HYPERLINK(") and "Belarus and Poland signed 3 agreements" in q for q in quotes)
    assert all(sources.contains(q, DOC, repo_copy / "data") for q in quotes if len(q) > 5)


def test_accept_refuses_a_formula_a_curator_typed_into_a_note(synthetic_proposed):
    path = synthetic_proposed / "data" / "proposed" / DOC / "facts.csv"
    rows = mark(path, lambda r: r["value_text"] == "2.5")
    line = next(i for i, r in enumerate(rows, start=2) if r["status"] == "accepted")
    rows[line - 2]["note"] = '=HYPERLINK("http://evil.example","see")'
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    before = state(synthetic_proposed)
    out = propose_main("accept", DOC, root=synthetic_proposed)
    assert out.returncode == 1 and f"facts.csv, line {line}, column 'note'" in out.stderr, out.stdout + out.stderr
    assert "a spreadsheet would evaluate it as a formula" in out.stderr
    assert state(synthetic_proposed) == before


def test_propose_refuses_an_empty_document_clearly(synthetic_added, monkeypatch):
    monkeypatch.setattr(sources, "paragraphs", lambda doc_id, raw=None: [])
    with pytest.raises(propose.ProposeError, match="no paragraphs"):
        propose.propose(DOC, synthetic_added / "data")


# ---- real processes -------------------------------------------------------------------------------------


@pytest.fixture
def two_proposed(synthetic_proposed, tmp_path):
    """The synthetic 2014 document and a 2015 twin, both added and proposed, the trade fact marked accepted in each."""
    root = synthetic_proposed
    twin = tmp_path / "synthetic-review-2015.txt"
    twin.write_text(SYNTHETIC.read_text(encoding="utf-8").replace("2014", "2015"), encoding="utf-8")
    fields = {**FIELDS, "doc_id": "synthetic-2015", "label": "Synthetic 2015", "id_prefix": "s15", "period_covered": "2015"}
    assert in_process(documents.main, "add", str(twin), *options(fields), root=root).returncode == 0
    assert propose_main("synthetic-2015", root=root).returncode == 0
    for doc in (DOC, "synthetic-2015"):
        accept_the_trade_fact(root, doc)
    return root


@pytest.mark.slow
def test_two_accepts_at_once_both_reach_the_curated_tables(two_proposed):
    env = {**os.environ, paths.ENV_ROOT: str(two_proposed)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "belarus_fp.propose", "accept", doc], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for doc in (DOC, "synthetic-2015")
    ]
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    facts = tables.load_table("facts", two_proposed / "data")
    assert sorted(facts.loc[facts["doc_id"].str.startswith("synthetic"), "doc_id"]) == [DOC, "synthetic-2015"]
    for doc in (DOC, "synthetic-2015"):
        assert [r["status"] for r in read(two_proposed / "data" / "proposed" / doc / "facts.csv") if r["value_text"] == "2.5"] == ["moved"]


@pytest.mark.slow
@pytest.mark.parametrize("point", ["staged", "journaled", "replaced-one", "replaced-all"])
def test_accept_killed_mid_write_leaves_all_or_nothing_and_the_rerun_completes(synthetic_proposed, point):
    root = synthetic_proposed
    accept_the_trade_fact(root)
    mark(root / "data" / "proposed" / DOC / "sections.csv", lambda r: True)  # two tables change, and the proposals
    before = state(root)
    env = {**os.environ, paths.ENV_ROOT: str(root)}
    command = [sys.executable, "-m", "belarus_fp.propose", "accept", DOC]
    out = subprocess.run(command, env={**env, transaction.ENV_KILL_AT: point}, capture_output=True, text=True)
    assert out.returncode == -9, out.stdout + out.stderr
    if point == "staged":
        assert state(root) == before
    rerun = subprocess.run(command, env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    loaded = tables.load_all(root / "data")
    assert list(loaded["facts"].loc[loaded["facts"]["doc_id"] == DOC, "value_text"]) == ["2.5"]  # once, never twice
    assert len(loaded["sections"].loc[loaded["sections"]["doc_id"] == DOC]) == 3
    statuses = [r["status"] for r in read(root / "data" / "proposed" / DOC / "sections.csv")]
    assert statuses == ["moved"] * 3
    assert not [p for p in (root / "data").rglob("*") if ".txn-" in p.name]
    shutil.rmtree(root / "data" / transaction.FOLDER)


def test_vocabulary_write_is_a_transaction(repo_copy, tmp_path, capsys):
    import json

    from belarus_fp.commands import vocabulary

    path = repo_copy / "data" / "curated" / "datapackage.json"
    committed = path.read_bytes()
    package = json.loads(committed)
    field = next(f for r in package["resources"] if r["name"] == "facts" for f in r["schema"]["fields"] if f["name"] == "unit")
    field["constraints"]["enum"] = field["constraints"]["enum"][:-1]  # an enum that lost a value
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert vocabulary.main([]) == 1
    assert vocabulary.main(["--write"]) == 0 and path.read_bytes() == committed
    assert not [p for p in (repo_copy / "data").rglob("*") if ".txn-" in p.name]
    outside = tmp_path / "elsewhere.json"
    outside.write_text(json.dumps(package), encoding="utf-8")
    path.unlink()
    path.symlink_to(outside)  # a link planted in place of datapackage.json: nothing is written through it
    assert vocabulary.main(["--write"]) == 1
    assert "is a symbolic link" in capsys.readouterr().err and json.loads(outside.read_text(encoding="utf-8")) == package


@pytest.mark.parametrize(
    "code, words", [(28, "no space left on the device holding"), (30, "is on a read-only file system"), (13, "permission denied writing")]
)
def test_the_build_names_a_full_disk_or_a_read_only_checkout(monkeypatch, capsys, code, words):
    from belarus_fp.commands import build

    def failing(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(paths.ROOT / ".build" / "build.lock"))

    monkeypatch.setattr(build, "build", failing)
    with pytest.raises(SystemExit) as exit_:
        build.main([])
    err = capsys.readouterr().err
    assert exit_.value.code == 1 and "[build] error: " in err and words in err and ".build/build.lock" in err, err
    assert "Traceback" not in err


def test_write_atomic_names_the_file_it_replaces(tmp_path, monkeypatch):
    from belarus_fp.commands import notebook_form

    target = tmp_path / "figure.png"
    target.write_bytes(b"old")

    def full(self, data):
        raise OSError(28, "No space left on device", str(self))

    monkeypatch.setattr(type(target), "write_bytes", full)
    with pytest.raises(OSError) as err:
        notebook_form.write_atomic(target, b"new")
    assert err.value.filename == str(target) and err.value.errno == 28
    monkeypatch.undo()
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["figure.png"]


def test_a_full_disk_in_the_build_is_reported_with_the_other_failures(tmp_path, monkeypatch):
    """One notebook fails in a cell, the other executes but cannot be written (disk full): the build
    reports both, names the file, and changes neither notebook."""
    from belarus_fp.commands import execution, notebook_form

    failing, full = tmp_path / "01-fails.ipynb", tmp_path / "02-full.ipynb"
    for path in (failing, full):
        path.write_text("{}", encoding="utf-8")

    async def execute(nb_path, *args, **kwargs):
        if nb_path == failing:
            raise notebook_form.BuildError(f"{nb_path.name}: cell 3 raised ValueError: bad input")
        return "the executed notebook"

    def write(path, data):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(execution, "_execute", execute)
    monkeypatch.setattr(execution, "write_atomic", write)
    with pytest.raises(notebook_form.BuildError) as err:
        execution.execute_all([failing, full], jobs=2, log=lambda m: None)
    message = str(err.value)
    assert "01-fails.ipynb: cell 3 raised ValueError: bad input" in message, message
    assert "02-full.ipynb: executed, but not written: no space left on the device holding" in message and "02-full.ipynb" in message
    assert failing.read_text(encoding="utf-8") == "{}" and full.read_text(encoding="utf-8") == "{}"
