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
3. **Validation of the result.** ``check()`` (and ``commit``) copies the archive with the staged
   files in place into ``data/.transaction/view-TOKEN/`` and calls ``validate(view)`` on it (the full
   loaders, given the view as their ``data_dir``). If it raises, nothing is changed.
4. **Commit.** Every target is re-hashed (a file changed by hand since it was read is refused), the
   staged files' folders are fsynced, a journal (``data/.transaction/journal.json``: each target, its
   staged file and the sha256 of its new content) is written by fsync and rename (the commit point),
   then each staged file is renamed over its target, the folders fsynced and the journal removed.
   SIGINT, SIGTERM and SIGHUP are held back during these few milliseconds.
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
import errno
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import sys
import time
from pathlib import Path

#: The transaction's own folder inside the archive (ignored by git; never read by the loaders).
FOLDER = ".transaction"
LOCK = "lock"
COMMIT_LOCK = "commit.lock"
JOURNAL = "journal.json"
#: Seconds a second writer waits for the lock before it is refused (environment, default 60).
ENV_WAIT = "BELARUS_FP_LOCK_WAIT"
DEFAULT_WAIT = 60.0
#: Test hook: the name of a point at which the process kills itself with SIGKILL (tests only).
ENV_KILL_AT = "BELARUS_FP_TEST_KILL_AT"
KILL_POINTS = ("staged", "journaled", "replaced-one", "replaced-all")
_TEMP = re.compile(r"^\..+\.txn-[0-9a-f]+-[0-9a-f]+\.tmp$")
_HELD = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class TransactionError(RuntimeError):
    """The archive cannot be written; the message names the file and says what to do."""


class MissingFolder(TransactionError):
    """A folder on a target's path does not exist (and was not to be made)."""


class LockTimeout(TransactionError):
    """Another writer held the archive's lock for longer than the wait allowed."""


def _recover_command() -> str:
    return "python -m belarus_fp.archive.transaction recover"


def _kill_point(name: str) -> None:
    if os.environ.get(ENV_KILL_AT) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _write_chunk(fd: int, data: memoryview) -> int:
    """One ``os.write`` (the tests replace it to simulate a full disk)."""
    return os.write(fd, data)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def explain(exc: OSError, display: str) -> str:
    """A sentence for an OS error met while writing ``display``."""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"no space left on the device holding {display} (disk full or quota reached)"
    if code == errno.EROFS:
        return f"{display} is on a read-only file system"
    if code in (errno.EACCES, errno.EPERM):
        return f"permission denied writing {display}"
    if code == errno.ENOENT:
        return f"{display}: a folder on its path does not exist"
    if code == errno.ENOTDIR:
        return f"{display}: a file is in the way where a folder should be"
    if code == errno.ELOOP:
        return f"{display} is (or passes through) a symbolic link; the archive's commands follow no link"
    if code in (errno.ENOLCK, errno.EINVAL, errno.EOPNOTSUPP):
        return f"{display}: the file system does not support locking ({exc.strerror})"
    return f"{display}: {exc.strerror or exc}"


class _Dirs:
    """Folders of the archive opened without following links, by path relative to the archive."""

    def __init__(self, root: Path, display: str):
        self.root, self.display, self.fds, self.made = root, display, {}, []

    def show(self, rel: str) -> str:
        return f"{self.display}/{rel}" if rel else self.display

    def open(self, rel_dir: str, make: bool = False) -> int:
        if rel_dir in self.fds:
            return self.fds[rel_dir]
        if not rel_dir:
            fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        else:
            parent_rel, _, name = rel_dir.rpartition("/")
            parent = self.open(parent_rel, make)
            fd = self._child(parent, name, rel_dir, make)
        self.fds[rel_dir] = fd
        return fd

    def _child(self, parent: int, name: str, rel: str, make: bool) -> int:
        try:
            info = os.stat(name, dir_fd=parent, follow_symlinks=False)
        except FileNotFoundError:
            if not make:
                raise MissingFolder(f"{self.show(rel)} does not exist (is {self.display} a clone's data folder?); nothing was changed")
            try:
                os.mkdir(name, 0o777, dir_fd=parent)
            except OSError as exc:
                raise TransactionError(f"{explain(exc, self.show(rel))}; nothing was changed") from None
            self.made.append(rel)
            info = os.stat(name, dir_fd=parent, follow_symlinks=False)
        if stat.S_ISLNK(info.st_mode):
            raise TransactionError(_link_message(self.show(rel), parent, name))
        if not stat.S_ISDIR(info.st_mode):
            raise TransactionError(f"{self.show(rel)} is not a folder (a file is in the way): move it away; nothing was changed")
        return os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=parent)

    def close(self) -> None:
        for fd in self.fds.values():
            os.close(fd)
        self.fds = {}


def _link_message(display: str, parent: int, name: str) -> str:
    try:
        to = os.readlink(name, dir_fd=parent)
    except OSError:
        to = "?"
    return (
        f"{display} is a symbolic link (to {to}): the archive's commands write nothing through a link, "
        "so nothing outside the archive can be changed; remove the link (it is not part of the repository). Nothing was changed"
    )


def _split(rel) -> tuple[str, str]:
    """(folder, name) of a path relative to the archive; refuses absolute paths and ``..``."""
    text = str(rel).replace(os.sep, "/")
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if text.startswith("/") or not parts or ".." in parts or parts[0] == FOLDER:
        raise TransactionError(f"{rel!r}: not a path inside the archive")
    return "/".join(parts[:-1]), parts[-1]


def _fsync_dir(fd: int) -> None:
    with contextlib.suppress(OSError):  # some file systems refuse fsync on a folder; the rename is still atomic
        os.fsync(fd)


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
        self._lock_fd = self._dirs = self._view = None
        self.committed = False

    # ---- the lock -------------------------------------------------------------------------
    def __enter__(self) -> Transaction:
        if not self.root.is_dir():
            raise TransactionError(f"{self.display} ({self.root}) is not a folder: nothing was changed")
        self._dirs = _Dirs(self.root, self.display)
        try:
            self._acquire()
            recover(self.root, self._dirs, self.notes)
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

    def _acquire(self) -> None:
        folder = self._dirs.open(FOLDER, make=True)
        shown = self._dirs.show(f"{FOLDER}/{LOCK}")
        try:
            fd = os.open(LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666, dir_fd=folder)
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
    def _locked(self) -> None:
        if self._lock_fd is None:
            raise TransactionError("use the transaction in a with block (it locks the archive first)")

    def _target(self, rel, make: bool = False) -> tuple[str, str, int, str]:
        self._locked()
        folder, name = _split(rel)
        key = f"{folder}/{name}" if folder else name
        return key, name, self._dirs.open(folder, make), self._dirs.show(key)

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
        """The bytes of an archive file as this transaction will change them (its staged content if
        staged); records its hash, so a change by another program before the commit is refused."""
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
        key, name, fd, _ = self._target(rel)
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
        """A copy of the archive with the staged files in place (``data/.transaction/view-TOKEN``);
        remade after each ``write``. For reading only: it is deleted when the transaction ends."""
        self._locked()
        if self._view is not None and self._view_generation == self._generation:
            return self._view
        view = self.root / FOLDER / f"view-{self.token}"
        shutil.rmtree(view, ignore_errors=True)
        try:
            shutil.copytree(self.root, view, symlinks=True, ignore=_ignored)
            for key, (_, data) in self._staged.items():
                target = view / key
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.is_symlink():
                    target.unlink()
                target.write_bytes(data)
        except OSError as exc:
            shutil.rmtree(view, ignore_errors=True)
            raise TransactionError(
                f"{explain(exc, self._dirs.show(f'{FOLDER}/view-{self.token}'))} (the copy the result is checked on): nothing was changed"
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
        self._locked()
        if not self._staged:
            self.committed = True
            return
        self.check()
        for key in self._staged:
            folder, name = _split(key)
            now = self._current(name, self._dirs.open(folder), self._dirs.show(key))
            if (None if now is None else _sha(now)) != self._base[key]:
                raise TransactionError(
                    f"{self._dirs.show(key)} was changed by another program while `{self.command}` ran "
                    "(edited by hand?): nothing was changed; run the command again"
                )
        for folder in {_split(key)[0] for key in self._staged}:
            _fsync_dir(self._dirs.open(folder))
        _kill_point("staged")
        entries = [{"target": key, "staged": temp, "sha256": _sha(data)} for key, (temp, data) in self._staged.items()]
        journal = {"command": self.command, "pid": os.getpid(), "entries": entries}
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
        try:
            with _commit_lock(self._dirs):
                _write_journal(self._dirs, journal)
                self.committed = True  # from here on the journal, not an abort, decides
                _kill_point("journaled")
                _apply(self._dirs, journal)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)

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


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _ignored(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n == FOLDER or _TEMP.match(n)]


def _holder(fd: int, raw: bool = False):
    try:
        text = os.pread(fd, 4096, 0).decode("utf-8", "replace")
        note = json.loads(text) if text.strip() else None
    except (OSError, ValueError):
        note = None
    if raw:
        return note if isinstance(note, dict) else None
    return _describe(note) if isinstance(note, dict) else "another process"


def _describe(note: dict) -> str:
    alive = ""
    pid = note.get("pid")
    if isinstance(pid, int):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            alive = ", no longer running"
        except PermissionError:
            pass
    return f"`{note.get('command', '?')}` (pid {pid}, since {note.get('since', '?')}{alive})"


@contextlib.contextmanager
def _commit_lock(dirs: _Dirs):
    import fcntl

    folder = dirs.open(FOLDER)
    fd = os.open(COMMIT_LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666, dir_fd=folder)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _write_journal(dirs: _Dirs, journal: dict) -> None:
    folder = dirs.open(FOLDER)
    temp = f".{JOURNAL}.txn-{os.getpid():x}-{os.urandom(4).hex()}.tmp"
    shown = dirs.show(f"{FOLDER}/{JOURNAL}")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644, dir_fd=folder)
        try:
            data, done = memoryview(json.dumps(journal, indent=1).encode("utf-8")), 0
            while done < len(data):
                done += _write_chunk(fd, data[done:])
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, JOURNAL, src_dir_fd=folder, dst_dir_fd=folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp, dir_fd=folder)
        raise TransactionError(f"{explain(exc, shown)}: nothing was changed; fix that and run the command again") from None
    _fsync_dir(folder)


def _apply(dirs: _Dirs, journal: dict) -> None:
    """Rename every staged file of ``journal`` over its target (those already renamed are checked),
    then remove the journal. Raises TransactionError if a target holds neither its old staged file nor its new content."""
    folders = set()
    for n, entry in enumerate(journal["entries"]):
        folder, name = _split(entry["target"])
        fd = dirs.open(folder)
        folders.add(fd)
        shown = dirs.show(entry["target"])
        try:
            os.replace(entry["staged"], name, src_dir_fd=fd, dst_dir_fd=fd)
        except FileNotFoundError:  # renamed before an interruption: the target must hold the new content
            try:
                with os.fdopen(os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd), "rb") as fh:
                    now = _sha(fh.read())
            except OSError:
                now = None
            if now != entry["sha256"]:
                raise TransactionError(
                    f"cannot complete the interrupted `{journal.get('command')}`: {shown} holds neither its staged file nor its new "
                    f"content. Restore the archive from git (git checkout -- {dirs.display}) and delete "
                    f"{dirs.show(f'{FOLDER}/{JOURNAL}')}, then run the command again"
                ) from None
        except OSError as exc:
            raise TransactionError(
                f"`{journal.get('command')}` was interrupted while making its change visible ({explain(exc, shown)}); "
                f"fix that, then run {_recover_command()} (or the command again) to complete it"
            ) from None
        if n == 0:
            _kill_point("replaced-one")
    for fd in folders:
        _fsync_dir(fd)
    _kill_point("replaced-all")
    folder = dirs.open(FOLDER)
    os.unlink(JOURNAL, dir_fd=folder)
    _fsync_dir(folder)


def recover(root, dirs: _Dirs | None = None, notes: list | None = None) -> list[str]:
    """Complete a journal left by a killed writer and delete its staged files and views; returns
    what was done. Call it holding the lock (``Transaction`` does; ``main`` takes the lock)."""
    notes = [] if notes is None else notes
    own = dirs is None
    dirs = dirs or _Dirs(Path(root), "data")
    try:
        folder = dirs.open(FOLDER, make=True)
        try:
            with os.fdopen(os.open(JOURNAL, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=folder), "rb") as fh:
                text = fh.read()
        except FileNotFoundError:
            text = None
        if text is not None:
            try:
                journal = json.loads(text)
                assert isinstance(journal.get("entries"), list)
            except (ValueError, AssertionError, AttributeError):
                raise TransactionError(
                    f"{dirs.show(f'{FOLDER}/{JOURNAL}')} is unreadable. Restore the archive from git (git checkout -- {dirs.display}), "
                    "delete that file, then run the command again"
                ) from None
            with _commit_lock(dirs):
                _apply(dirs, journal)
            targets = ", ".join(e["target"] for e in journal["entries"])
            notes.append(f"completed the interrupted `{journal.get('command')}` (pid {journal.get('pid')}): {targets}")
        removed = _sweep(dirs.root)
        if removed:
            notes.append(f"removed {removed} temporary file(s) or folder(s) left by an interrupted write")
    finally:
        if own:
            dirs.close()
    return notes


def _sweep(root: Path) -> int:
    """Delete staged files (``.NAME.txn-TOKEN.tmp``) and views in the archive; returns how many."""
    removed = 0
    for folder, subfolders, files in os.walk(root):  # os.walk follows no link by default
        here = Path(folder)
        if here == root / FOLDER:
            for name in subfolders:
                if name.startswith("view-"):
                    shutil.rmtree(here / name, ignore_errors=True)
                    removed += 1
            subfolders[:] = []
        for name in files:
            if _TEMP.match(name):
                with contextlib.suppress(OSError):
                    os.unlink(here / name)
                    removed += 1
    return removed


# ---- readers -------------------------------------------------------------------------------------
@contextlib.contextmanager
def reading_lock(data_dir, wait: float = 10.0):
    """Shared lock for reading the archive: a writer's renames are never seen half done. A no-op where
    no writer ever ran (no ``.transaction`` folder) or where the lock file cannot be opened (a read-only copy)."""
    import fcntl

    path = Path(data_dir) / FOLDER / COMMIT_LOCK
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    break  # read anyway; pending() then reports the journal if there is one
                time.sleep(0.01)
            except OSError:
                break
        yield
    finally:
        os.close(fd)


def pending(data_dir) -> str | None:
    """A message if a writer was killed mid-commit (its journal is still there), else None."""
    path = Path(data_dir) / FOLDER / JOURNAL
    if not path.exists():
        return None
    try:
        command = json.loads(path.read_text(encoding="utf-8")).get("command", "?")
    except (OSError, ValueError, AttributeError):
        command = "?"
    return (
        f"a write into the archive (`{command}`) was interrupted before it completed: some files hold the new version, "
        f"others the old one. Run {_recover_command()} (or any write command) to complete it"
    )


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
