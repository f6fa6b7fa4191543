"""The low-level pieces of :mod:`belarus_fp.archive.transaction`.

The archive's folders opened without following links, OS errors put in words, the commit journal
(written, completed, recovered), the sweep of leftovers, and the readers' lock. Plain Python: imports
nothing from the package.
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
        self.root, self.display = root, display
        self.fds: dict[str, int] = {}  # opened folder (relative path) -> its file descriptor
        self.made: list[str] = []  # folders this process created, in order

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
                raise MissingFolder(
                    f"{self.show(rel)} does not exist (is {self.display} a clone's data folder?); nothing was changed"
                ) from None
            try:
                os.mkdir(name, 0o777, dir_fd=parent)
                self.made.append(rel)
            except FileExistsError:
                pass  # another writer made it in the meantime (two first writers at once): checked below as any folder
            except OSError as exc:
                raise TransactionError(f"{explain(exc, self.show(rel))}; nothing was changed") from None
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
    """Rename every staged file of ``journal`` over its target, then remove the journal.

    Those already renamed are checked. Raises TransactionError if a target holds neither its old staged
    file nor its new content.
    """
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
    journal_folder = dirs.open(FOLDER)
    os.unlink(JOURNAL, dir_fd=journal_folder)
    _fsync_dir(journal_folder)


def recover(root, dirs: _Dirs | None = None, notes: list | None = None) -> list[str]:
    """Complete a journal left by a killed writer and delete its staged files and views; returns what was done.

    Call it holding the lock (``Transaction`` does; ``main`` takes the lock).
    """
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
    """Shared lock for reading the archive: a writer's renames are never seen half done.

    A no-op where no writer ever ran (no ``.transaction`` folder) or where the lock file cannot be opened
    (a read-only copy).
    """
    import fcntl

    path = Path(data_dir) / FOLDER / COMMIT_LOCK
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        fd = None
    if fd is None:
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
