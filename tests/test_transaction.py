"""The archive's transactions (belarus_fp.archive.transaction): one writer at a time, all or nothing, old-or-new
at any instant, nothing written outside the archive, faults named, nothing left behind."""

import errno
import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from belarus_fp.archive import transaction as txn_mod
from belarus_fp.archive.transaction import LockTimeout, Transaction, TransactionError


@pytest.fixture
def archive(tmp_path):
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    (data / "curated").mkdir()
    (data / "raw" / "manifest.csv").write_bytes(b"old manifest\n")
    (data / "curated" / "table.csv").write_bytes(b"old table\n")
    return data


def files(data):
    """Every file of the archive but the transaction's own folder: {relative path: bytes}."""
    out = {}
    for path in sorted(data.rglob("*")):
        rel = path.relative_to(data)
        if rel.parts[0] != txn_mod.FOLDER and (path.is_file() or path.is_symlink()):
            out[str(rel)] = path.read_bytes() if not path.is_symlink() else b"->" + os.readlink(path).encode()
    return out


def test_a_transaction_changes_every_file_or_none(archive):
    with Transaction(archive, "test") as txn:
        assert txn.read_bytes("raw/manifest.csv") == b"old manifest\n"
        txn.write("raw/manifest.csv", b"new manifest\n")
        txn.write("raw/doc.txt", b"a document\n", new=True)
        assert files(archive)["raw/manifest.csv"] == b"old manifest\n"  # nothing visible before the commit
    assert files(archive) == {"curated/table.csv": b"old table\n", "raw/doc.txt": b"a document\n", "raw/manifest.csv": b"new manifest\n"}
    before = files(archive)
    with pytest.raises(RuntimeError, match="boom"), Transaction(archive, "test") as txn:
        txn.write("raw/manifest.csv", b"newer\n")
        raise RuntimeError("boom")
    assert files(archive) == before


def test_the_view_links_the_unchanged_files_and_never_writes_through_a_link(archive):
    """The view shares the archive's unchanged files (no copy of the documents per command); a staged file replaces its link."""
    with Transaction(archive, "test") as txn:
        txn.write("curated/table.csv", b"new table\n")
        view = txn.view()
        assert (view / "raw" / "manifest.csv").samefile(archive / "raw" / "manifest.csv")
        assert (view / "curated" / "table.csv").read_bytes() == b"new table\n"
        assert (archive / "curated" / "table.csv").read_bytes() == b"old table\n"
        txn.write("raw/manifest.csv", b"new manifest\n")
        assert (txn.view() / "raw" / "manifest.csv").read_bytes() == b"new manifest\n"
        assert (archive / "raw" / "manifest.csv").read_bytes() == b"old manifest\n"


def test_the_view_copies_where_the_file_system_cannot_link(archive, monkeypatch):
    def no_links(*args, **kwargs):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    with Transaction(archive, "test") as txn:
        txn.write("curated/table.csv", b"new table\n")
        view = txn.view()
        assert not (view / "raw" / "manifest.csv").samefile(archive / "raw" / "manifest.csv")
        assert (view / "raw" / "manifest.csv").read_bytes() == b"old manifest\n"
        assert (view / "curated" / "table.csv").read_bytes() == b"new table\n"


def test_the_result_is_validated_on_a_view_before_anything_is_visible(archive):
    seen = []

    def validate(view):
        seen.append({p: d for p, d in files(view).items()})
        if b"bad" in (view / "curated" / "table.csv").read_bytes():
            raise ValueError("the table does not validate")

    before = files(archive)
    with pytest.raises(ValueError, match="does not validate"), Transaction(archive, "test", validate=validate) as txn:
        txn.write("curated/table.csv", b"bad table\n")
    assert files(archive) == before and seen[-1]["curated/table.csv"] == b"bad table\n"
    assert seen[-1]["raw/manifest.csv"] == b"old manifest\n"  # the view is the whole archive
    assert not list((archive / txn_mod.FOLDER).glob("view-*"))
    with Transaction(archive, "test", validate=validate) as txn:
        txn.write("curated/table.csv", b"good table\n")
    assert files(archive)["curated/table.csv"] == b"good table\n"


def test_new_files_keep_the_mode_of_what_they_replace(archive):
    os.chmod(archive / "raw" / "manifest.csv", 0o640)
    with Transaction(archive, "test") as txn:
        txn.write("raw/manifest.csv", b"x\n")
        txn.write("raw/new.txt", b"y\n", new=True)
    assert oct((archive / "raw" / "manifest.csv").stat().st_mode & 0o777) == "0o640"
    assert (archive / "raw" / "new.txt").stat().st_mode & 0o044  # readable by others, as the umask allows (not mkstemp's 0600)


@pytest.mark.parametrize("where", ["raw/dangling.txt", "raw/manifest.csv"])
def test_no_write_goes_through_a_symbolic_link(archive, tmp_path, where):
    outside = tmp_path / "outside.txt"
    (archive / where).unlink(missing_ok=True)
    os.symlink(outside, archive / where)  # dangling: outside.txt does not exist
    before = files(archive)
    with (
        pytest.raises(TransactionError, match=f"data/{where} is a symbolic link .*outside.txt.*Nothing was changed"),
        Transaction(archive, "test") as txn,
    ):
        txn.write(where, b"through the link\n")
    assert not outside.exists() and files(archive) == before and os.path.islink(archive / where)


def test_a_symlinked_folder_is_refused_even_to_create_files_below_it(archive, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (archive / "proposed").mkdir()
    os.symlink(elsewhere, archive / "proposed" / "doc")
    with pytest.raises(TransactionError, match="data/proposed/doc is a symbolic link"), Transaction(archive, "test") as txn:
        txn.write("proposed/doc/facts.csv", b"x\n", make_dirs=True)
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("rel", ["../escape.txt", "/etc/passwd", "raw/../../escape.txt", ".transaction/lock"])
def test_paths_outside_the_archive_are_refused(archive, rel):
    with pytest.raises(TransactionError, match="not a path inside the archive"), Transaction(archive, "test") as txn:
        txn.write(rel, b"x")


def test_a_file_in_the_way_of_a_folder_and_a_missing_folder_are_named(archive):
    (archive / "proposed").write_text("not a folder")
    with pytest.raises(TransactionError, match=r"data/proposed is not a folder .*move it away"), Transaction(archive, "test") as txn:
        txn.write("proposed/doc/facts.csv", b"x", make_dirs=True)
    with pytest.raises(TransactionError, match="data/reference does not exist"), Transaction(archive, "test") as txn:
        txn.write("reference/names.csv", b"x")
    with pytest.raises(TransactionError, match="is not a folder"), Transaction(archive / "raw" / "manifest.csv", "test"):
        pass
    with pytest.raises(TypeError, match="data_dir must be a path"):
        Transaction(123, "test")
    with pytest.raises(TypeError, match="data_dir must be a path"):
        Transaction("", "test")


def test_a_full_disk_is_named_and_leaves_nothing_behind(archive, monkeypatch):
    written = []

    def full(fd, data):
        if sum(written) > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(min(len(data), 2))
        return written[-1]

    monkeypatch.setattr(txn_mod, "_write_chunk", full)
    before = files(archive)
    with (
        pytest.raises(TransactionError, match=r"no space left on the device holding data/curated/table.csv.*nothing was changed"),
        Transaction(archive, "test") as txn,
    ):
        txn.write("raw/manifest.csv", b"ab")
        txn.write("curated/table.csv", b"a long new table\n")
    assert files(archive) == before
    assert not [p for p in archive.rglob("*") if ".txn-" in p.name]


@pytest.mark.parametrize("code, message", [(errno.EROFS, "read-only file system"), (errno.EACCES, "permission denied")])
def test_a_read_only_archive_is_named(archive, monkeypatch, code, message):
    real_open = os.open

    def refuse(path, flags, *args, **kwargs):
        if flags & os.O_CREAT:
            raise OSError(code, os.strerror(code))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(txn_mod.os, "open", refuse)
    with pytest.raises(TransactionError, match=f"{message}.*nothing was changed"), Transaction(archive, "test") as txn:
        txn.write("raw/manifest.csv", b"x")


def test_a_file_changed_by_hand_meanwhile_is_not_overwritten(archive):
    with (
        pytest.raises(TransactionError, match=r"data/curated/table.csv was changed by another program"),
        Transaction(archive, "test") as txn,
    ):
        data = txn.read_bytes("curated/table.csv")
        (archive / "curated" / "table.csv").write_bytes(b"edited in a spreadsheet\n")
        txn.write("curated/table.csv", data + b"appended\n")
    assert (archive / "curated" / "table.csv").read_bytes() == b"edited in a spreadsheet\n"


def test_new_refuses_an_existing_file(archive):
    with pytest.raises(TransactionError, match=r"data/raw/manifest.csv already exists"), Transaction(archive, "test") as txn:
        txn.write("raw/manifest.csv", b"x", new=True)


def test_leftovers_of_a_killed_writer_are_removed_by_the_next_transaction(archive):
    (archive / "raw" / ".manifest.csv.txn-1a2b-0badcafe.tmp").write_bytes(b"half a manifest")
    (archive / txn_mod.FOLDER / "view-1a2b-0badcafe" / "raw").mkdir(parents=True)
    (archive / txn_mod.FOLDER / "lock").write_text(json.dumps({"pid": 2**22 + 7, "command": "documents add x", "since": "then"}))
    with Transaction(archive, "test") as txn:
        pass
    assert any("ended without releasing" in n and "no longer running" in n for n in txn.notes), txn.notes
    assert any("removed 2 temporary" in n for n in txn.notes), txn.notes
    assert not (archive / "raw" / ".manifest.csv.txn-1a2b-0badcafe.tmp").exists()
    assert not list((archive / txn_mod.FOLDER).glob("view-*"))


def test_a_journal_left_mid_commit_is_completed_and_reported_to_readers(archive):
    (archive / "raw" / ".manifest.csv.txn-1-1.tmp").write_bytes(b"new manifest\n")
    (archive / "curated" / "table.csv").write_bytes(b"new table\n")  # already renamed before the kill
    import hashlib

    journal = {
        "command": "documents add x",
        "pid": 1,
        "entries": [
            {"target": "curated/table.csv", "staged": ".table.csv.txn-1-1.tmp", "sha256": hashlib.sha256(b"new table\n").hexdigest()},
            {"target": "raw/manifest.csv", "staged": ".manifest.csv.txn-1-1.tmp", "sha256": hashlib.sha256(b"new manifest\n").hexdigest()},
        ],
    }
    (archive / txn_mod.FOLDER).mkdir()
    (archive / txn_mod.FOLDER / "journal.json").write_text(json.dumps(journal))
    assert "(`documents add x`) was interrupted" in txn_mod.pending(archive) and "recover" in txn_mod.pending(archive)
    assert txn_mod.main(["recover", str(archive)]) == 0
    assert txn_mod.pending(archive) is None
    assert files(archive) == {"curated/table.csv": b"new table\n", "raw/manifest.csv": b"new manifest\n"}


def test_a_journal_that_cannot_be_completed_says_what_to_do(archive):
    journal = {"command": "c", "entries": [{"target": "curated/table.csv", "staged": ".gone.txn-1-1.tmp", "sha256": "0" * 64}]}
    (archive / txn_mod.FOLDER).mkdir()
    (archive / txn_mod.FOLDER / "journal.json").write_text(json.dumps(journal))
    with (
        pytest.raises(TransactionError, match=r"holds neither its staged file nor its new content. Restore the archive from git"),
        Transaction(archive, "test"),
    ):
        pass


def test_a_second_writer_is_refused_after_a_bounded_wait(archive):
    told = []
    with Transaction(archive, "first writer"):
        start = time.monotonic()
        with (
            pytest.raises(LockTimeout, match=r"being written by `first writer` \(pid \d+.*waited 0.3 s. Nothing was changed"),
            Transaction(archive, "second", wait=0.3, on_wait=told.append),
        ):
            pass
        assert 0.3 <= time.monotonic() - start < 2
    assert told and "waiting for the archive" in told[0]
    with Transaction(archive, "third", wait=0):  # released
        pass


# ---- real processes -----------------------------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys, time
    from belarus_fp.archive.transaction import Transaction
    data, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for i in range(n):
        with Transaction(data, f"writer {name}", wait=60, on_wait=lambda m: None) as txn:
            rows = txn.read_bytes("curated/table.csv")
            time.sleep(0.01)  # read, think, write: the window in which an unlocked writer loses the other's rows
            txn.write("curated/table.csv", rows + f"{name}{i}\\n".encode())
            txn.write("raw/manifest.csv", txn.read_bytes("raw/manifest.csv") + f"{name}{i}\\n".encode())
    """
)


@pytest.mark.slow
def test_two_writer_processes_never_lose_each_others_rows(archive, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    procs = [subprocess.Popen([sys.executable, str(script), str(archive), name, "15"]) for name in "ab"]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    for rel, first in (("curated/table.csv", b"old table"), ("raw/manifest.csv", b"old manifest")):
        lines = (archive / rel).read_bytes().splitlines()
        assert lines[0] == first and sorted(lines[1:]) == sorted(f"{n}{i}".encode() for n in "ab" for i in range(15))


KILLED = textwrap.dedent(
    """
    import sys
    from belarus_fp.archive.transaction import Transaction
    with Transaction(sys.argv[1], "killed writer") as txn:
        txn.write("raw/manifest.csv", b"new manifest\\n")
        txn.write("curated/table.csv", b"new table\\n")
        txn.write("raw/doc.txt", b"new document\\n", new=True)
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("point", txn_mod.KILL_POINTS)
def test_sigkill_at_any_point_leaves_old_or_new_and_the_next_run_completes(archive, tmp_path, point):
    script = tmp_path / "killed.py"
    script.write_text(KILLED)
    old = files(archive)
    new = {"curated/table.csv": b"new table\n", "raw/doc.txt": b"new document\n", "raw/manifest.csv": b"new manifest\n"}
    out = subprocess.run([sys.executable, str(script), str(archive)], env={**os.environ, txn_mod.ENV_KILL_AT: point})
    assert out.returncode == -9
    committed = point != "staged"
    assert (txn_mod.pending(archive) is not None) == committed  # readers are told a commit was cut short
    with Transaction(archive, "next writer") as txn:
        pass
    assert files(archive) == (new if committed else old), txn.notes
    assert txn_mod.pending(archive) is None
    assert not [p for p in archive.rglob("*") if ".txn-" in p.name or p.name.startswith("view-")]


def test_ctrl_c_while_staging_changes_nothing_and_leaves_nothing(archive, monkeypatch):
    def interrupt(name):
        if name == "staged":
            raise KeyboardInterrupt

    monkeypatch.setattr(txn_mod, "_kill_point", interrupt)
    before = files(archive)
    with pytest.raises(KeyboardInterrupt), Transaction(archive, "interrupted") as txn:
        txn.write("raw/manifest.csv", b"new manifest\n")
        txn.write("raw/doc.txt", b"a document\n", new=True)
    assert files(archive) == before
    assert not [p for p in archive.rglob("*") if ".txn-" in p.name or p.name.startswith("view-")]
    with Transaction(archive, "next", wait=0):  # the lock was released
        pass


def test_ctrl_c_is_held_back_while_the_files_are_renamed(archive):
    import signal as signals

    seen = []

    def during(name):
        if name == "journaled":
            os.kill(os.getpid(), signals.SIGINT)  # pending, not delivered: the renames must complete first
            seen.append(files(archive)["raw/manifest.csv"])

    import threading

    other = threading.Thread(target=time.sleep, args=(0.5,))  # a second thread the signal may be delivered to
    other.start()
    txn_mod_kill = txn_mod._kill_point
    txn_mod._kill_point = during
    # Ctrl-C as in a terminal: a process started in the background by a non-interactive shell inherits
    # SIGINT ignored, and then a held-back Ctrl-C is rightly dropped, not raised.
    previous = signals.signal(signals.SIGINT, signals.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt), Transaction(archive, "interrupted") as txn:
            txn.write("raw/manifest.csv", b"new manifest\n")
            txn.write("curated/table.csv", b"new table\n")
    finally:
        txn_mod._kill_point = txn_mod_kill
        signals.signal(signals.SIGINT, previous)
    assert seen == [b"old manifest\n"]
    assert files(archive) == {"curated/table.csv": b"new table\n", "raw/manifest.csv": b"new manifest\n"}  # all of it, then Ctrl-C
    assert txn_mod.pending(archive) is None
    other.join()


READER = textwrap.dedent(
    """
    import sys, time
    from belarus_fp.archive.transaction import reading_lock
    data, n = sys.argv[1], int(sys.argv[2])
    bad = 0
    for i in range(n):
        with reading_lock(data):
            a = open(data + "/raw/manifest.csv", "rb").read()
            time.sleep(0.001)  # a load reads many files: without the lock a commit lands between two of them
            b = open(data + "/curated/table.csv", "rb").read()
        if a.count(b"\\n") != b.count(b"\\n"):
            bad += 1
    print(bad)
    """
)


@pytest.mark.slow
def test_a_reader_never_sees_half_a_commit(archive, tmp_path):
    """A writer keeps two files in step; a reader under the reading lock never sees one changed without the other."""
    script, reader = tmp_path / "writer.py", tmp_path / "reader.py"
    script.write_text(WRITER)
    reader.write_text(READER)
    (archive / "raw" / "manifest.csv").write_bytes(b"x\n")
    (archive / "curated" / "table.csv").write_bytes(b"x\n")
    with Transaction(archive, "first"):  # make the lock files exist, as after any write
        pass
    writer = subprocess.Popen([sys.executable, str(script), str(archive), "w", "40"])
    out = subprocess.run([sys.executable, str(reader), str(archive), "1000"], capture_output=True, text=True, timeout=120)
    assert writer.wait(timeout=120) == 0
    assert out.returncode == 0 and out.stdout.strip() == "0", out.stdout + out.stderr


@pytest.mark.slow
def test_a_real_full_disk(tmp_path):
    """A tiny tmpfs (in a private mount namespace): the staged write hits ENOSPC, the archive is unchanged."""
    import shutil

    if not shutil.which("unshare"):
        pytest.skip("no unshare")
    mount = tmp_path / "small"
    mount.mkdir()
    script = textwrap.dedent(
        f"""
        import os, sys
        from belarus_fp.archive.transaction import Transaction, TransactionError
        data = "{mount}/data"
        os.makedirs(data + "/raw")
        open(data + "/raw/manifest.csv", "wb").write(b"old\\n")
        try:
            with Transaction(data, "too big") as txn:
                txn.write("raw/manifest.csv", b"new\\n")
                txn.write("raw/big.txt", b"x" * 400_000, new=True)
        except TransactionError as exc:
            print("refused:", exc)
        print(open(data + "/raw/manifest.csv", "rb").read())
        print(sorted(os.listdir(data + "/raw")))
        """
    )
    command = f"mount -t tmpfs -o size=256k tmpfs {mount} && {sys.executable} -c '{script}'"
    out = subprocess.run(["unshare", "-rm", "sh", "-c", command], capture_output=True, text=True, timeout=60)
    if "mount" in out.stderr and out.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {out.stderr.strip()}")
    assert out.returncode == 0, out.stderr
    assert "refused: no space left on the device holding data/raw/big.txt" in out.stdout, out.stdout
    assert "b'old\\n'" in out.stdout and "['manifest.csv']" in out.stdout, out.stdout


def test_two_first_writers_at_once_both_get_the_transaction_folder(archive, monkeypatch):
    """The first writer of an archive makes ``.transaction``; a second that found it missing a moment before
    and then cannot make it (the first just did) goes on, instead of failing with "File exists"."""
    from belarus_fp.archive import journal

    real_mkdir = os.mkdir

    def raced(name, mode=0o777, *, dir_fd=None):
        real_mkdir(name, mode, dir_fd=dir_fd)  # the other writer, between this one's look and its mkdir
        return real_mkdir(name, mode, dir_fd=dir_fd)

    monkeypatch.setattr(journal.os, "mkdir", raced)
    with Transaction(archive, "test") as txn:
        txn.write("raw/manifest.csv", b"new manifest\n")
    monkeypatch.undo()
    assert files(archive)["raw/manifest.csv"] == b"new manifest\n"
