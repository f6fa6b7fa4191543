"""When a notebook is up to date, and one build at a time per repository (a lock).

The hash of a notebook's inputs (the notebook as saved, normalised; every file under ``data/`` and
``src/``; the interpreter and package versions) against the stamp recorded after its last successful
build (``.build/stamps.json``, not committed).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import sys
from pathlib import Path

from .. import paths
from .notebook_form import display_path, saved_form, write_atomic

STAMPS = paths.ROOT / ".build" / "stamps.json"
INPUT_DIRS = (paths.DATA, paths.ROOT / "src")


def inputs_digest(folders=INPUT_DIRS) -> str:
    """Digest of everything but the notebook that its outputs depend on: data/, src/, the environment."""
    from importlib import metadata

    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            skip = any(part == "__pycache__" or part.endswith(".egg-info") for part in path.parts)
            if path.is_file() and not skip:
                digest.update(str(path.relative_to(paths.ROOT)).encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(sys.version.encode())
    dists = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(dists).encode())
    return digest.hexdigest()


def input_hash(nb_path: Path, inputs_digest: str) -> str:
    """Hash of a notebook as saved (normalised) together with the digest of data/, src/ and the environment."""
    return hashlib.sha256(json.dumps([saved_form(nb_path)[0], inputs_digest]).encode()).hexdigest()


def up_to_date(nb_path: Path, digest: str | None = None) -> bool:
    """True when the last build of this notebook ran with exactly the current inputs and wrote the file as it is now.

    ``digest``: :func:`inputs_digest` if the caller has it already (checking several notebooks), else computed.
    """
    nb_path = Path(nb_path).resolve()
    return read_stamps(lambda message: None).get(display_path(nb_path)) == input_hash(nb_path, digest or inputs_digest())


def read_stamps(log) -> dict:
    """The stamps of the last builds; a damaged file is reported and treated as empty (everything rebuilds)."""
    try:
        stamps = json.loads(STAMPS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, UnicodeDecodeError) as exc:
        log(f"[build] {display_path(STAMPS)} is damaged ({exc}); ignoring it: every selected notebook is rebuilt")
        return {}
    if not isinstance(stamps, dict) or not all(isinstance(v, str) for v in stamps.values()):
        log(
            f"[build] {display_path(STAMPS)} is damaged (not a mapping of names to hashes); ignoring it: every selected notebook is rebuilt"
        )
        return {}
    return stamps


@contextlib.contextmanager
def build_lock(log):
    """One build at a time per repository: a second one waits, then finds the work done."""
    lock = STAMPS.parent / "build.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log("[build] another build of this repository is running: waiting for it to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def write_stamps(stamps: dict) -> None:
    """Record ``stamps`` (name -> input hash) in :data:`STAMPS`, atomically."""
    STAMPS.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(STAMPS, json.dumps(stamps, indent=1, sort_keys=True) + "\n")
