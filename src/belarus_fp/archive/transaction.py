"""Writing into the archive (a clone's ``data/`` folder) as one transaction: all of it or none of it.

Every command that changes the archive (``documents add``, ``propose``, ``propose accept``,
``vocabulary --write``, a corpus import) does so through :class:`Transaction`::

    with transaction.Transaction(data_dir, "documents add review-2014", validate=check) as txn:
        manifest = txn.read_bytes("raw/manifest.csv")  # read *inside*: no other writer can change it now
        txn.write("raw/review-2014.txt", data, new=True)
        txn.write("raw/manifest.csv", manifest + row)
    # here every file is changed, or (an exception in the block, a failed check) none is

What it guarantees, in order:

1. **One writer at a time.** ``data/.transaction/lock`` is locked exclusively (``fcntl.flock``) for the
   whole transaction, reads included. A second writer waits up to ``BELARUS_FP_LOCK_WAIT`` seconds
   (default 60), saying who holds the lock, then is refused with :class:`LockTimeout`. The kernel
   releases the lock of a process that dies, so a lock is never left stale; a holder that died is
   detected by its note in the lock file and reported (``txn.notes``).
2. **Staging beside the target.** ``write`` puts the new content in ``.NAME.txn-TOKEN.tmp`` in the
   target's own folder (so the final rename is atomic), flushed to disk with ``fsync``. Targets are
   walked from the archive folder down with ``O_NOFOLLOW``: a symbolic link anywhere on the way (a
   dangling one included), a file where a folder should be, a folder where a file should be, ``..``
   or an absolute path are refused, so nothing is ever written outside the archive.
3. **Validation of the result.** ``check()`` (and ``commit``) makes a view of the archive with the staged
   files in place in ``data/.transaction/view-TOKEN/`` (its other files hard links to the archive's, copies
   where the file system has no links) and calls ``validate(view)`` on it (the full loaders, given the view
   as their ``data_dir``). If it raises, nothing is changed.
4. **Commit.** Every target is re-hashed (a file changed by hand since it was read is refused), the
   staged files' folders are fsynced, a journal (``data/.transaction/journal.json``: each target, its
   staged file and the sha256 of its new content) is written by fsync and rename (the commit point),
   then each staged file is renamed over its target, the folders fsynced and the journal removed.
   SIGINT, SIGTERM and SIGHUP are held back during these few milliseconds (their handlers deferred).
5. **Recovery.** Every transaction (and ``python -m belarus_fp.archive.transaction recover``) first completes
   a journal left by a killed writer (each target then holds its new content: the journal's hashes
   are checked), and deletes staged files and views left behind. A journal that cannot be completed
   is refused with what to do.

Readers: ``reading_lock(data_dir)`` takes a shared lock on ``data/.transaction/commit.lock``, which a
writer holds exclusively only while it renames; the loaders hold it while they read, so a load sees
the archive before a transaction or after it, never between. A journal found under that lock means a
writer was killed mid-commit: ``pending(data_dir)`` says so and the loaders refuse with what to do.

Faults (a full disk, a read-only file system, permission denied, a missing folder) are raised as
:class:`TransactionError` naming the file and saying that nothing was changed; staged files are deleted.
Limits: the lock is an advisory ``flock`` on the local file system (a network file system may not honour
it); a writer that ignores this module (an editor) is detected only by the re-hash of what was read.
Plain Python: imports nothing from the package (``main`` alone imports ``paths``).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import stat
import sys
import threading
import time
from pathlib import Path

from .journal import (  # noqa: F401  re-exported: the transaction's API
    _HELD,
    COMMIT_LOCK,
    DEFAULT_WAIT,
    ENV_KILL_AT,
    ENV_WAIT,
    FOLDER,
    JOURNAL,
    KILL_POINTS,
    LOCK,
    LockTimeout,
    MissingFolder,
    TransactionError,
    _apply,
    _commit_lock,
    _describe,
    _Dirs,
    _fsync_dir,
    _holder,
    _ignored,
    _kill_point,
    _link_message,
    _sha,
    _split,
    _umask,
    _write_journal,
    explain,
    pending,
    reading_lock,
    recover,
)


@contextlib.contextmanager
def _signals_deferred():
    """Hold SIGINT, SIGTERM and SIGHUP back for the few milliseconds of the renames.

    Their handlers are swapped for one that records them, and each recorded signal is raised again, to
    the handler it had, once the block is done. (A signal mask would not do: the signal may be delivered to another thread
    of the process, and Python still runs its handler in the main thread at once.) Outside the main
    thread, handlers cannot be set: the journal still makes an interruption recoverable.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught, previous = [], {}
    for number in _HELD:
        with contextlib.suppress(ValueError, OSError):  # a signal this platform lacks
            previous[number] = signal.signal(number, lambda sig, frame: caught.append(sig))
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for number in caught:
            signal.raise_signal(number)


def _write_chunk(fd: int, data: memoryview) -> int:
    """One ``os.write`` of a staged file (the tests replace it to simulate a full disk)."""
    return os.write(fd, data)


def _link_or_copy(source: str, target: str) -> None:
    """A hard link of ``source`` at ``target``; a copy where the file system cannot link."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


class Transaction:
    """One atomic change of the archive ``data_dir``; see the module's documentation.

    Args:
        data_dir: the archive (a clone's ``data/`` folder).
        command: what is running, for messages and the lock's note (``"propose accept review-2014"``).
        validate: called with the view (a folder laid out like ``data/``, the staged files in place)
            before anything is made visible; raises to refuse. ``None``: no validation.
        wait: seconds to wait for another writer (default ``BELARUS_FP_LOCK_WAIT`` or 60).
        on_wait: called once with a message when the lock is busy (default: print it on stderr).
    """

    def __init__(self, data_dir, command: str, validate=None, wait: float | None = None, on_wait=None, display: str = "data"):
        if not isinstance(data_dir, (str, os.PathLike)) or not str(data_dir):
            raise TypeError(f"data_dir must be a path to a clone's data folder, not {data_dir!r}")
        self.root = Path(os.path.realpath(data_dir))
        self.command, self.validate, self.display = command, validate, display
        self.wait = float(os.environ.get(ENV_WAIT, DEFAULT_WAIT)) if wait is None else float(wait)
        self.on_wait = on_wait or (lambda message: print(message, file=sys.stderr, flush=True))
        self.token = f"{os.getpid():x}-{os.urandom(4).hex()}"
        self.notes: list[str] = []  # what recovery did (printed by the commands)
        self._staged: dict[str, tuple[str, bytes]] = {}  # rel -> (temp name, content)
        self._base: dict[str, str | None] = {}  # rel -> sha256 of the target when first read or staged
        self._generation = self._checked = self._view_generation = 0
        self._lock_fd: int | None = None
        self._dirs: _Dirs | None = None
        self._view: Path | None = None
        self.committed = False

    # ---- the lock -------------------------------------------------------------------------
    def __enter__(self) -> Transaction:
        if not self.root.is_dir():
            raise TransactionError(f"{self.display} ({self.root}) is not a folder: nothing was changed")
        self._dirs = dirs = _Dirs(self.root, self.display)
        try:
            self._acquire(dirs)
            recover(self.root, dirs, self.notes)
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, kind, exc, tb) -> None:
        try:
            if kind is None:
                self.commit()
        finally:
            if not self.committed:
                self._abort()
            self._release()

    def _acquire(self, dirs: _Dirs) -> None:
        folder = dirs.open(FOLDER, make=True)
        shown = dirs.show(f"{FOLDER}/{LOCK}")
        try:
            fd = os.open(LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666, dir_fd=folder)
            # the readers' lock file exists from a writer's start on, not only from its first commit: a reader
            # that found none read unlocked, and the first commit's renames could land between two of its reads
            os.close(os.open(COMMIT_LOCK, os.O_RDONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666, dir_fd=folder))
        except OSError as exc:
            raise TransactionError(f"cannot lock the archive: {explain(exc, shown)}; nothing was changed") from None
        self._lock_fd, deadline, told = fd, time.monotonic() + self.wait, False
        while True:
            try:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(fd)
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"the archive {self.display} is being written by {holder}; waited {self.wait:g} s. "
                        f"Nothing was changed: run the command again when it has finished (or set {ENV_WAIT}=SECONDS to wait longer)"
                    ) from None
                if not told:
                    self.on_wait(f"waiting for the archive {self.display}: it is being written by {holder} (up to {self.wait:g} s)")
                    told = True
                time.sleep(0.05)
            except OSError as exc:
                raise TransactionError(f"cannot lock the archive: {explain(exc, shown)}; nothing was changed") from None
        previous = _holder(fd, raw=True)
        if previous and previous.get("pid") != os.getpid():
            self.notes.append(
                f"the previous writer ({_describe(previous)}) ended without releasing the archive's lock (killed?); "
                "its unfinished work is completed or removed below"
            )
        note = {"pid": os.getpid(), "command": self.command, "since": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(note).encode(), 0)
        except OSError as exc:
            raise TransactionError(f"cannot lock the archive: {explain(exc, shown)}; nothing was changed") from None

    def _release(self) -> None:
        if self._view is not None:
            shutil.rmtree(self._view, ignore_errors=True)
            self._view = None
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._lock_fd, 0)  # an empty note: released in order
            os.close(self._lock_fd)  # closing releases the flock
            self._lock_fd = None
        if self._dirs is not None:
            self._dirs.close()

    # ---- reading and staging ----------------------------------------------------------------
    def _locked(self) -> _Dirs:
        """The archive's opened folders; raises unless the transaction holds the lock (inside its with block)."""
        if self._lock_fd is None or self._dirs is None:
            raise TransactionError("use the transaction in a with block (it locks the archive first)")
        return self._dirs

    def _target(self, rel, make: bool = False) -> tuple[str, str, int, str]:
        dirs = self._locked()
        folder, name = _split(rel)
        key = f"{folder}/{name}" if folder else name
        return key, name, dirs.open(folder, make), dirs.show(key)

    def _current(self, name: str, fd: int, shown: str) -> bytes | None:
        """The target's bytes (None if absent); refuses a link or a folder."""
        try:
            info = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            return None
        if stat.S_ISLNK(info.st_mode):
            raise TransactionError(_link_message(shown, fd, name))
        if not stat.S_ISREG(info.st_mode):
            raise TransactionError(f"{shown} is not a regular file (a folder?): nothing was changed")
        file_fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
        with os.fdopen(file_fd, "rb") as fh:
            return fh.read()

    def read_bytes(self, rel) -> bytes:
        """The bytes of an archive file as this transaction will change them (its staged content if staged).

        Records its hash, so a change by another program before the commit is refused.
        """
        key, name, fd, shown = self._target(rel)
        if key in self._staged:
            return self._staged[key][1]
        data = self._current(name, fd, shown)
        if data is None:
            raise TransactionError(f"{shown} does not exist")
        self._base.setdefault(key, _sha(data))
        return data

    def exists(self, rel) -> bool:
        """Whether the archive has a file (or anything: a link, a folder) at ``rel`` (never follows a link)."""
        try:
            key, name, fd, _ = self._target(rel)
        except MissingFolder:
            return False
        if key in self._staged:
            return True
        try:
            os.stat(name, dir_fd=fd, follow_symlinks=False)
            return True
        except FileNotFoundError:
            return False

    def write(self, rel, data: bytes, new: bool = False, make_dirs: bool = False) -> None:
        """Stage ``data`` as the new content of ``rel`` (relative to the archive, e.g. ``"raw/manifest.csv"``).

        ``new``: the file must not exist yet. ``make_dirs``: create missing folders on the way
        (left empty if the transaction aborts after they were made; never through a link).
        """
        if isinstance(data, str):
            raise TypeError("write takes bytes; use write_text for text")
        key, name, fd, shown = self._target(rel, make_dirs)
        current = self._current(name, fd, shown)
        if new and (current is not None or key in self._staged):
            raise TransactionError(f"{shown} already exists; nothing was changed")
        self._base.setdefault(key, None if current is None else _sha(current))
        temp = self._staged.get(key, (f".{name}.txn-{self.token}.tmp", b""))[0]
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp, dir_fd=fd)
        mode = 0o666 & ~_umask()
        with contextlib.suppress(OSError):
            mode = stat.S_IMODE(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode)
        try:
            out = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=fd)
            try:
                view, done = memoryview(bytes(data)), 0
                while done < len(view):
                    done += _write_chunk(out, view[done:])
                os.fchmod(out, mode)
                os.fsync(out)
            finally:
                os.close(out)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(temp, dir_fd=fd)
            self._staged.pop(key, None)
            raise TransactionError(f"{explain(exc, shown)}: nothing was changed; fix that and run the command again") from None
        self._staged[key] = (temp, bytes(data))
        self._generation += 1

    def write_text(self, rel, text: str, new: bool = False, make_dirs: bool = False) -> None:
        """``write`` of UTF-8 text (written as given: no newline translation)."""
        self.write(rel, text.encode("utf-8"), new=new, make_dirs=make_dirs)

    def discard(self, rel) -> None:
        """Unstage ``rel``: the file stays as it is."""
        key, _name, fd, _ = self._target(rel)
        if key in self._staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._staged.pop(key)[0], dir_fd=fd)
            self._generation += 1

    @property
    def staged(self) -> list[str]:
        """The paths staged so far, relative to the archive."""
        return list(self._staged)

    # ---- validation ---------------------------------------------------------------------------
    def view(self) -> Path:
        """A copy of the archive with the staged files in place (``data/.transaction/view-TOKEN``).

        Remade after each ``write``. For reading only: it is deleted when the transaction ends. Its other files are
        hard links to the archive's (copies where the file system has none), so making it costs no copy of the
        documents; a staged file replaces its link, never writes into it.
        """
        dirs = self._locked()
        if self._view is not None and self._view_generation == self._generation:
            return self._view
        view = self.root / FOLDER / f"view-{self.token}"
        shutil.rmtree(view, ignore_errors=True)
        try:
            shutil.copytree(self.root, view, symlinks=True, ignore=_ignored, copy_function=_link_or_copy)
            for key, (_, data) in self._staged.items():
                target = view / key
                target.parent.mkdir(parents=True, exist_ok=True)
                target.unlink(missing_ok=True)  # a link to the archive's file, or a symbolic link: never written through
                target.write_bytes(data)
        except OSError as exc:
            shutil.rmtree(view, ignore_errors=True)
            raise TransactionError(
                f"{explain(exc, dirs.show(f'{FOLDER}/view-{self.token}'))} (the copy the result is checked on): nothing was changed"
            ) from None
        self._view, self._view_generation = view, self._generation
        return view

    def check(self) -> None:
        """Run ``validate`` on the view of the staged result (once per set of staged contents)."""
        if self.validate is None or self._checked == self._generation:
            return
        self.validate(self.view())
        self._checked = self._generation

    # ---- commit --------------------------------------------------------------------------------
    def commit(self) -> None:
        """Validate, then make every staged file visible (see the module's documentation); idempotent."""
        if self.committed:
            return
        dirs = self._locked()
        if not self._staged:
            self.committed = True
            return
        self.check()
        for key in self._staged:
            folder, name = _split(key)
            now = self._current(name, dirs.open(folder), dirs.show(key))
            if (None if now is None else _sha(now)) != self._base[key]:
                raise TransactionError(
                    f"{dirs.show(key)} was changed by another program while `{self.command}` ran "
                    "(edited by hand?): nothing was changed; run the command again"
                )
        for folder in {_split(key)[0] for key in self._staged}:
            _fsync_dir(dirs.open(folder))
        _kill_point("staged")
        entries = [{"target": key, "staged": temp, "sha256": _sha(data)} for key, (temp, data) in self._staged.items()]
        journal = {"command": self.command, "pid": os.getpid(), "entries": entries}
        with _signals_deferred(), _commit_lock(dirs):
            _write_journal(dirs, journal)
            self.committed = True  # from here on the journal, not an abort, decides
            _kill_point("journaled")
            _apply(dirs, journal)

    def _abort(self) -> None:
        if self._dirs is None or not self._dirs.fds:
            return
        for key, (temp, _) in self._staged.items():
            with contextlib.suppress(OSError):
                os.unlink(temp, dir_fd=self._dirs.open(_split(key)[0]))
        self._staged = {}
        for rel in reversed(self._dirs.made):
            with contextlib.suppress(OSError):
                os.rmdir(self._dirs.root / rel)  # only if still empty


def main(argv: list[str] | None = None) -> int:
    """``python -m belarus_fp.archive.transaction recover [DATA_DIR]``: complete or clean up an interrupted write."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] not in ("recover", "status"):
        print("usage: python -m belarus_fp.archive.transaction {recover,status} [DATA_DIR]", file=sys.stderr)
        return 2
    if len(argv) > 1:
        data_dir = Path(argv[1])
    else:
        from .. import paths

        data_dir = paths.require_root(exit_on_error=True) / "data"
    if argv[0] == "status":
        message = pending(data_dir)
        print(message or f"{data_dir}: no interrupted write")
        return 1 if message else 0
    try:
        with Transaction(data_dir, "transaction recover") as txn:
            pass
    except TransactionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for note in txn.notes:
        print(note)
    print(f"{data_dir}: no interrupted write left" if txn.notes else f"{data_dir}: nothing to recover")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
