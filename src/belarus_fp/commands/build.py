"""Execute the notebooks: fresh kernel each, normalised outputs, in parallel, skipping what is up to date.

Usage: ``python -m belarus_fp.build [--force] [--jobs N] [--timeout SECONDS] [NOTEBOOK ...]``.

Up to date means the hash of a notebook's inputs equals the stamp recorded after its last
successful build (``.build/stamps.json``, not committed). The inputs are the notebook file as
saved (normalised, so a JupyterLab save that changes only metadata does not count, while any other
change does), every file under ``data/`` and ``src/``, and the interpreter and package versions.
An up-to-date notebook whose metadata a JupyterLab save changed is written back normalised, not executed.

Normalised means no timings, no version strings, a fixed kernelspec and ``language_info``, and
consecutive stream outputs merged (output flushed in several pieces under load is stored as one),
so a rebuild is byte-identical whatever the machine is doing.

Safe to interrupt and to run twice at once: notebooks, figures and stamps are written atomically
(a temporary file renamed over the old one), and a notebook's figures are written to a private
folder and published only when the whole notebook succeeded; one build at a time per repository
(a lock, the second waits); kernels talk over IPC sockets in a private folder, so no TCP port can
collide; Ctrl-C (or SIGTERM) stops every kernel, writes nothing more, prints one line and exits
with status 130.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from .. import paths
from ..paths import notebooks

paths.require_root(exit_on_error=__name__ == "__main__")  # no clone: exit 1 saying how to point at one

# The build's modules resolve the clone's folders when imported: after the check above.
from . import derived  # noqa: E402
from .execution import CELL_TIMEOUT_S, execute_all  # noqa: E402
from .notebook_form import BuildError, canonical_text, display_path, os_error, read_notebook, saved_form, write_atomic  # noqa: E402
from .stamps import build_lock, input_hash, inputs_digest, read_stamps, write_stamps  # noqa: E402


def _check_selected(selected) -> list[Path]:
    out = []
    for name in selected:
        path = Path(name).resolve()
        if path.suffix != ".ipynb":
            raise BuildError(f"{name}: not a notebook (a .ipynb file is expected)")
        if not path.is_file():
            raise BuildError(f"{name}: no such notebook")
        out.append(path)
    return out


def build(selected=None, force: bool = False, jobs: int = 2, timeout: float = CELL_TIMEOUT_S, log=print) -> list[Path]:
    """Execute the out-of-date notebooks (all with ``force``), ``jobs`` at a time; returns those run."""
    if selected:
        selected = _check_selected(selected)
    else:
        selected = notebooks()
        if not selected:
            raise BuildError(
                f"no notebooks in {paths.NOTEBOOKS}: the build runs in a clone of the repository "
                "(installed with `pip install -e .`), not from an installed copy of the package"
            )
    with build_lock(log):
        stamps = read_stamps(log)
        derived.write_derived(stamps, force, log)
        digest = inputs_digest()
        todo = []
        for nb_path in selected:
            if not force and stamps.get(display_path(nb_path)) == input_hash(nb_path, digest):
                if saved_form(nb_path)[1]:  # same content, other metadata: write it as the build does
                    write_atomic(nb_path, canonical_text(read_notebook(nb_path)))
                    log(f"[build] {nb_path.name}: up to date; its metadata rewritten as the build writes it")
                else:
                    log(f"[build] {nb_path.name}: up to date")
            else:
                todo.append(nb_path)

        def done(nb_path, seconds):
            stamps[display_path(nb_path)] = input_hash(nb_path, digest)
            write_stamps(stamps)

        if todo:
            execute_all(todo, jobs, timeout=timeout, on_done=done, log=log)
    return todo


def _positive(kind):
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be greater than 0 (got {text})")
        return value

    return parse


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def without_iri_checks() -> None:
    """Leave jsonschema's optional ``rfc3987_syntax`` out of this process (call before nbformat is imported).

    It builds an Earley parser when imported (about 2 s of a build's start, more on a loaded machine) and
    serves only jsonschema's "iri" format checks: nbformat passes no format checker and its schemas use
    no "iri" format, so nothing the build reads or writes changes. The kernels are other processes.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # typeshed (sys.modules) omits the documented None entry


def main(argv: list[str] | None = None) -> None:
    """``python -m belarus_fp.build [NOTEBOOK ...] [--force] [--jobs N] [--timeout S]``: builds the notebooks.

    Exits with status 1 on a build error or an OS error (one line on stderr), 130 on an interrupt.
    """
    without_iri_checks()
    parser = argparse.ArgumentParser(prog="python -m belarus_fp.build", description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks to build (default: all)")
    parser.add_argument("--force", action="store_true", help="execute even if up to date")
    parser.add_argument("--jobs", type=_positive(int), default=2, help="notebooks run in parallel (default 2)")
    parser.add_argument(
        "--timeout", type=_positive(float), default=CELL_TIMEOUT_S, help=f"seconds a cell may run (default {CELL_TIMEOUT_S})"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    # Ctrl-C must stop the build even when the parent process ignores SIGINT (an ignored signal is
    # inherited, and Python then never raises KeyboardInterrupt).
    signal.signal(signal.SIGINT, signal.default_int_handler)

    def log(message):
        print(message, flush=True)

    try:
        ran = build(args.notebooks, force=args.force, jobs=args.jobs, timeout=args.timeout, log=log)
    except KeyboardInterrupt:
        print("\n[build] interrupted: kernels stopped, no notebook or figure written after the interrupt", file=sys.stderr, flush=True)
        sys.stdout.flush()
        os._exit(130)  # the kernels are stopped; skip interpreter teardown, where zmq can abort on cancelled sockets
    except BuildError as exc:
        print(f"[build] error: {exc}", file=sys.stderr, flush=True)
        sys.exit(1)
    except OSError as exc:  # a read-only checkout, a full disk: one line, not a traceback
        print(f"[build] error: {os_error(exc)}", file=sys.stderr, flush=True)
        sys.exit(1)
    print(f"[build] {len(ran)} notebook(s) executed in {time.perf_counter() - start:.1f} s", flush=True)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` (and CI time-outs) stop the build as Ctrl-C does
    main(sys.argv[1:])
