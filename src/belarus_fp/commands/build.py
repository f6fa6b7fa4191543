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
import asyncio
import atexit
import contextlib
import fcntl
import hashlib
import json
import os
import re
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from .. import paths
from ..paths import notebooks

paths.require_root(exit_on_error=__name__ == "__main__")  # no clone: exit 1 saying how to point at one
CELL_TIMEOUT_S = 300
STAMPS = paths.ROOT / ".build" / "stamps.json"
#: The notebooks' metadata exactly as JupyterLab writes it for ipykernel's ``python3`` kernel, so opening
#: a committed notebook leaves it unmodified and Run All + Save leaves it byte-identical.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def language_info(version: str | None = None) -> dict:
    """``language_info`` as the ``python3`` kernel reports it (ipykernel's ``IPythonKernel.language_info``).

    It records the interpreter's version (``3.11.7``), as JupyterLab does on every save; ``version``
    gives another (the tests compare a notebook recorded on another Python with that version kept).
    """
    return {
        "codemirror_mode": {"name": "ipython", "version": sys.version_info[0]},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": version or sys.version.split()[0],
    }


INPUT_DIRS = (paths.DATA, paths.ROOT / "src")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class BuildError(Exception):
    """A notebook failed, or the build was asked for something it cannot do; the text says which and why."""


def _display(path: Path) -> str:
    """A path as the user would type it: relative to the repository when inside it."""
    path = Path(path).resolve()
    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path)


def _unreadable(nb_path: Path, exc: Exception) -> BuildError:
    return BuildError(
        f"{_display(nb_path)} is not a readable notebook ({type(exc).__name__}: {exc}); "
        f"restore it with `git checkout -- {_display(nb_path)}`"
    )


def read_notebook(nb_path: Path):
    """Read a notebook, or fail naming the file and how to restore it (never a bare JSONDecodeError)."""
    import nbformat

    try:
        return nbformat.read(nb_path, as_version=4)
    except Exception as exc:  # nbformat raises JSON, Unicode and validation errors of many kinds
        raise _unreadable(nb_path, exc) from None


def normalize(nb, python_version: str | None = None) -> None:
    """Strip what changes run to run or editor to editor; keep outputs and counts.

    The notebook metadata becomes exactly what JupyterLab writes (:data:`KERNELSPEC` and
    :func:`language_info`, with this interpreter's version unless ``python_version`` is given).
    Works on an nbformat notebook and on the plain dict of its JSON alike (dict access only).
    """
    nb["metadata"] = {"kernelspec": dict(KERNELSPEC), "language_info": language_info(python_version)}
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("execution", None)
        cell.get("metadata", {}).pop("ExecuteTime", None)
        if cell["cell_type"] != "code":
            continue
        merged = []
        for out in cell.get("outputs", []):
            out.get("metadata", {}).pop("execution", None)
            last = merged[-1] if merged else None
            if last is not None and out["output_type"] == "stream" == last["output_type"] and out["name"] == last["name"]:
                last["text"] = last["text"] + out["text"]
            else:
                merged.append(out)
        cell["outputs"] = merged


def _saved_form(nb_path: Path) -> tuple[str, bool]:
    """The notebook file as saved, normalised, as one string (what the up-to-date check hashes),
    and whether normalising changed anything (a JupyterLab save rewrites the metadata, for one).

    Read as plain JSON (fast: importing nbformat alone takes about a second), with the lists of
    lines that JSON notebooks store joined, so the result does not depend on how lines were split.
    """
    try:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            for node in [cell, *cell.get("outputs", [])]:
                for key in ("source", "text"):
                    if isinstance(node.get(key), list):
                        node[key] = "".join(node[key])
                for mime, value in node.get("data", {}).items():
                    if isinstance(value, list):
                        node["data"][mime] = "".join(value)
        before = json.dumps(nb, sort_keys=True)
        normalize(nb)
    except (ValueError, UnicodeDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise _unreadable(nb_path, exc) from None
    after = json.dumps(nb, sort_keys=True)
    return after, after != before


def canonical_text(nb, python_version: str | None = None) -> str:
    """The normalised notebook as the build writes it; two notebooks are the same when these are equal."""
    import nbformat

    normalize(nb, python_version)
    return nbformat.writes(nb) + "\n"


def _os_error(exc: OSError) -> str:
    """An OS error met while writing, in words, naming the file (a notebook or figure is replaced whole or not at all)."""
    from ..archive.journal import explain

    where = _display(Path(exc.filename)) if exc.filename else "a file of the repository"
    return f"{explain(exc, where)}; every notebook and figure not yet written stays as it was"


def write_atomic(path: Path, data: str | bytes) -> None:
    """Replace ``path`` in one step: a reader (or a crash) sees the old file or the new, never half of one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except OSError as exc:  # name the file being replaced, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    finally:
        tmp.unlink(missing_ok=True)


def _inputs_digest(folders=INPUT_DIRS) -> str:
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
    return hashlib.sha256(json.dumps([_saved_form(nb_path)[0], inputs_digest]).encode()).hexdigest()


def up_to_date(nb_path: Path) -> bool:
    """True when the last build of this notebook ran with exactly the current inputs and wrote the file as it is now."""
    nb_path = Path(nb_path).resolve()
    return _read_stamps(lambda message: None).get(_display(nb_path)) == input_hash(nb_path, _inputs_digest())


def _read_stamps(log) -> dict:
    """The stamps of the last builds; a damaged file is reported and treated as empty (everything rebuilds)."""
    try:
        stamps = json.loads(STAMPS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, UnicodeDecodeError) as exc:
        log(f"[build] {_display(STAMPS)} is damaged ({exc}); ignoring it: every selected notebook is rebuilt")
        return {}
    if not isinstance(stamps, dict) or not all(isinstance(v, str) for v in stamps.values()):
        log(f"[build] {_display(STAMPS)} is damaged (not a mapping of names to hashes); ignoring it: every selected notebook is rebuilt")
        return {}
    return stamps


@contextlib.contextmanager
def _build_lock(log):
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
    with _build_lock(log):
        stamps = _read_stamps(log)
        write_derived(stamps, force, log)
        digest = _inputs_digest()
        todo = []
        for nb_path in selected:
            if not force and stamps.get(_display(nb_path)) == input_hash(nb_path, digest):
                if _saved_form(nb_path)[1]:  # same content, other metadata: write it as the build does
                    write_atomic(nb_path, canonical_text(read_notebook(nb_path)))
                    log(f"[build] {nb_path.name}: up to date; its metadata rewritten as the build writes it")
                else:
                    log(f"[build] {nb_path.name}: up to date")
            else:
                todo.append(nb_path)

        def done(nb_path, seconds):
            stamps[_display(nb_path)] = input_hash(nb_path, digest)
            STAMPS.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(STAMPS, json.dumps(stamps, indent=1, sort_keys=True) + "\n")

        if todo:
            execute_all(todo, jobs, timeout=timeout, on_done=done, log=log)
    return todo


#: The build stamp of the derived tables: the inputs' digest they were last written from.
DERIVED_STAMP = "data/derived"


def write_derived(stamps: dict, force: bool = False, log=print) -> None:
    """Write the derived tables (``data/derived/``) from the documents and the code, before any notebook
    reads them; skipped when nothing under data/ or src/ changed since they were written."""
    from ..analysis import corpus

    if not force and stamps.get(DERIVED_STAMP) == _inputs_digest():
        return
    path = paths.DATA.joinpath(*corpus.MENTIONS_FILE)
    started = time.perf_counter()
    text = corpus.mentions_csv()
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
        log(
            f"[build] data/{'/'.join(corpus.MENTIONS_FILE)}: written ({text.count(chr(10)) - 1} mentions, {time.perf_counter() - started:.1f} s)"
        )
    stamps[DERIVED_STAMP] = _inputs_digest()
    STAMPS.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(STAMPS, json.dumps(stamps, indent=1, sort_keys=True) + "\n")


def execute(nb_path: Path, timeout: float = CELL_TIMEOUT_S) -> float:
    """Run one notebook in a fresh kernel in its own folder; write it back normalised; return the seconds taken."""
    seconds = {}
    execute_all([Path(nb_path)], jobs=1, timeout=timeout, on_done=lambda p, s: seconds.update(s=s), log=lambda m: None)
    return seconds["s"]


def execute_all(nb_paths, jobs: int = 2, timeout: float = CELL_TIMEOUT_S, on_done=None, log=print) -> None:
    """Execute notebooks ``jobs`` at a time and write each back when it succeeds; fail naming every failed one.

    The kernels are driven from one background thread (asyncio); the main thread only waits, so
    Ctrl-C reaches it as ``KeyboardInterrupt``: it stops the kernels, lets no notebook be written
    after that, and re-raises.
    """
    if jobs < 1:
        raise BuildError(f"jobs must be at least 1 (got {jobs})")
    if not timeout > 0:
        raise BuildError(f"timeout must be a positive number of seconds (got {timeout})")
    # Longest first, so the workers finish together; a notebook's size (its stored outputs,
    # mostly figures) is a good proxy for how long it runs.
    ordered = sorted((Path(p) for p in nb_paths), key=lambda p: p.stat().st_size, reverse=True)
    import jupyter_client.manager  # noqa: F401  imported here, in the main thread, where Ctrl-C stops an
    import nbclient  # noqa: F401             import at once (in the kernels' thread it would wait for it)

    runner = _Runner(ordered, jobs, timeout, on_done or (lambda p, s: None), log)
    thread = threading.Thread(target=runner.run, name="belarus_fp.build", daemon=True)
    thread.start()
    # Wait on an Event, not thread.join(): Ctrl-C during join() marks a running thread as
    # stopped (CPython's _wait_for_tstate_lock), and the clean-up below would not be awaited.
    try:
        while not runner.finished.wait(0.1):
            pass
    except KeyboardInterrupt:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
        try:
            runner.stop()
            runner.finished.wait(15)
        finally:
            signal.signal(signal.SIGINT, previous)
        raise
    if runner.crash is not None:
        raise runner.crash
    if runner.failures:
        raise BuildError("notebook build failed:\n" + "\n".join(runner.failures))


class _Runner:
    """The notebooks' kernels, driven concurrently from one event loop in a background thread."""

    def __init__(self, nb_paths, jobs, timeout, on_done, log):
        self.nb_paths, self.jobs, self.timeout, self.on_done, self.log = nb_paths, jobs, timeout, on_done, log
        self.failures: list[str] = []
        self.crash: BaseException | None = None
        self.stopped = False
        self.loop: asyncio.AbstractEventLoop | None = None
        self.task: asyncio.Task | None = None
        self.ready = threading.Event()
        self.finished = threading.Event()
        self.clients: list = []  # the NotebookClients
        self.kernels: list = []  # the kernel processes (subprocess.Popen), recorded as each starts

    def run(self) -> None:
        try:
            asyncio.run(self._main())
        except asyncio.CancelledError:
            pass
        except BaseException as exc:  # handed to the main thread, which raises it
            self.crash = exc
        finally:
            self.finished.set()

    def stop(self) -> None:
        """Called from the main thread: cancel every notebook; nothing is written after this."""
        self.stopped = True
        if self.ready.wait(5) and self.loop is not None:
            self.loop.call_soon_threadsafe(self._halt)

    def _halt(self) -> None:
        # Kill the kernels first: a kernel still starting up does not see a cancellation for seconds.
        _stop_kernels(self.kernels)
        self.task.cancel()

    async def _main(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.task = asyncio.current_task()
        self.ready.set()
        if self.stopped:
            return
        slots = asyncio.Semaphore(self.jobs)
        try:
            with tempfile.TemporaryDirectory(prefix="bfp-") as work:
                jobs = [self._one(nb_path, slots, Path(work) / str(i)) for i, nb_path in enumerate(self.nb_paths)]
                try:
                    await asyncio.gather(*jobs)
                finally:
                    _stop_kernels(self.kernels)
        finally:
            for client in self.clients:  # nbclient's own atexit clean-up, which a cancellation can leave behind
                atexit.unregister(client._cleanup_kernel)

    async def _one(self, nb_path: Path, slots: asyncio.Semaphore, work: Path) -> None:
        async with slots:
            if self.stopped:
                return
            self.log(f"[build] {nb_path.name}: started")
            start = time.perf_counter()
            staging = work / "figures"
            try:
                text = await _execute(nb_path, self.timeout, work / "sockets", staging, self.clients, self.kernels)
            except Exception as exc:  # every failing notebook is reported, then the build fails
                if self.stopped:  # nbclient turns the cancellation into DeadKernelError: not a failure
                    return
                message = str(exc) if isinstance(exc, BuildError) else f"{nb_path.name}: {type(exc).__name__}: {ANSI.sub('', str(exc))}"
                self.failures.append(message)
                self.log(f"[build] {nb_path.name}: FAILED after {time.perf_counter() - start:.1f} s")
                return
            if self.stopped:
                return
            try:
                _publish_figures(staging)
                write_atomic(nb_path, text)
            except OSError as exc:  # a full disk or a read-only checkout: reported with the others, never hiding them
                self.failures.append(f"{nb_path.name}: executed, but not written: {_os_error(exc)}")
                self.log(f"[build] {nb_path.name}: FAILED (not written) after {time.perf_counter() - start:.1f} s")
                return
            seconds = time.perf_counter() - start
            self.on_done(nb_path, seconds)
            self.log(f"[build] {nb_path.name}: executed in {seconds:.1f} s")


async def _execute(nb_path: Path, timeout: float, sockets: Path, staging: Path, clients: list, kernels: list) -> str:
    """Execute a notebook in a fresh ``python3`` kernel and return its normalised text.

    Nothing is written where it is committed: the kernel's figures go to ``staging`` (through
    ``BELARUS_FP_FIGURES``) and are published only when the whole notebook succeeded. The kernel
    uses the IPC transport with its sockets in ``sockets`` (a folder of its own): no TCP port to
    collide with another build, and no unencrypted-TCP warning.
    """
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from traitlets.config import Config

    nb = read_notebook(nb_path)
    sockets.mkdir(parents=True)
    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = str(sockets / "k")

    class RecordingKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd, **kw):  # jupyter_client's documented override point
            await super()._async_launch_kernel(kernel_cmd, **kw)
            kernels.append(self.provisioner.process)

    client = NotebookClient(
        nb,
        kernel_manager_class=RecordingKernelManager,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(nb_path.parent)}},
        config=config,
    )
    clients.append(client)
    current = {"index": None}
    client.on_cell_execute = lambda cell, cell_index: current.update(index=cell_index)
    try:
        await client.async_execute(env={**os.environ, paths.ENV_FIGURES: str(staging), paths.ENV_SERIES: nb_path.name})
    except CellTimeoutError:
        raise BuildError(f"{nb_path.name}: {_where(nb, current['index'])} did not finish within {timeout:g} s (see --timeout)") from None
    except CellExecutionError as exc:
        raise BuildError(f"{nb_path.name}: {_where(nb, current['index'])} failed: {_error_text(nb, current['index'], exc)}") from None
    except DeadKernelError as exc:
        raise BuildError(f"{nb_path.name}: the kernel died during {_where(nb, current['index'])} ({exc})") from None
    return canonical_text(nb)


def _stop_kernels(kernels) -> None:
    """Kill every kernel process still running (a cancelled nbclient does not always manage to).

    Each kernel leads its own process group; a child not yet waited for keeps its pid, so
    killing its group cannot hit an unrelated process.
    """
    for process in kernels:
        if process.poll() is None:
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _publish_figures(staging: Path) -> None:
    """Move the figures a successful notebook wrote into the figures folder, each file replaced atomically."""
    if not staging.is_dir():
        return
    folder = paths.FIGURES  # BELARUS_FP_FIGURES as it is now (tests set it), else figures/
    folder.mkdir(parents=True, exist_ok=True)
    for figure in sorted(staging.iterdir()):
        write_atomic(folder / figure.name, figure.read_bytes())


def _where(nb, index) -> str:
    if index is None:
        return "kernel start-up"
    return f"cell {index + 1} of {len(nb.cells)} (In [{nb.cells[index].get('execution_count') or ' '}])"


def _error_text(nb, index, exc) -> str:
    """The error and its traceback as plain text (IPython colours tracebacks with ANSI codes)."""
    for out in nb.cells[index].get("outputs", []) if index is not None else []:
        if out.get("output_type") == "error":
            trace = ANSI.sub("", "\n".join(out.get("traceback", [])))
            return f"{out.ename}: {ANSI.sub('', out.evalue)}\n" + "\n".join("    " + line for line in trace.splitlines())
    return ANSI.sub("", str(exc))


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


def main(argv=None) -> None:
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
        print(f"[build] error: {_os_error(exc)}", file=sys.stderr, flush=True)
        sys.exit(1)
    print(f"[build] {len(ran)} notebook(s) executed in {time.perf_counter() - start:.1f} s", flush=True)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` (and CI time-outs) stop the build as Ctrl-C does
    main(sys.argv[1:])
