"""Executing notebooks: each in a fresh ``python3`` kernel, ``jobs`` at a time.

The kernels are driven from one background thread; a notebook's figures are published and the notebook
written back (normalised) only when it all succeeded.

Kernels talk over IPC sockets in a private folder, so no TCP port can collide; Ctrl-C stops every
kernel and lets nothing more be written.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import re
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .. import paths
from .notebook_form import BuildError, canonical_text, os_error, read_notebook, write_atomic

CELL_TIMEOUT_S = 300
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def execute(nb_path: Path, timeout: float = CELL_TIMEOUT_S) -> float:
    """Run one notebook in a fresh kernel in its own folder; write it back normalised; return the seconds taken."""
    seconds: dict[str, float] = {}
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

    def __init__(
        self, nb_paths: list[Path], jobs: int, timeout: float, on_done: Callable[[Path, float], None], log: Callable[[str], None]
    ) -> None:
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
        if self.task is not None:
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
                self.failures.append(f"{nb_path.name}: executed, but not written: {os_error(exc)}")
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
