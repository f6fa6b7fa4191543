"""Execute the notebooks: fresh kernel each, normalised outputs, parallel, skipping what is up to date.

Usage: ``python -m belarus_fp.build [--force] [--jobs N] [NOTEBOOK ...]``.

A notebook is up to date when the hash of its inputs (its own cell sources, every file
under ``data/`` and ``src/``) equals the stamp recorded after its last successful build
(``.build/stamps.json``, not committed). Executed notebooks are written back normalised
(no timings, no version strings, fixed kernelspec) so a rebuild is byte-identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from . import paths

paths.require_root(exit_on_error=__name__ == "__main__")  # no clone: exit 1 saying how to point at one
CELL_TIMEOUT_S = 300
STAMPS = paths.ROOT / ".build" / "stamps.json"
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
INPUT_DIRS = (paths.DATA, paths.ROOT / "src")


def notebooks(folder: Path | None = None) -> list[Path]:
    """The notebooks of the series, in order (``NN-title.ipynb``)."""
    return sorted(Path(folder or paths.NOTEBOOKS).glob("[0-9][0-9]-*.ipynb"))


def _tree_digest(folders=INPUT_DIRS) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            skip = any(part == "__pycache__" or part.endswith(".egg-info") for part in path.parts)
            if path.is_file() and not skip:
                digest.update(str(path.relative_to(paths.ROOT)).encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def input_hash(nb_path: Path, tree_digest: str) -> str:
    """Hash of what a notebook's outputs depend on: its cell sources plus data/ and src/."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    cells = [(c["cell_type"], "".join(c["source"])) for c in nb["cells"]]
    return hashlib.sha256(json.dumps([cells, tree_digest]).encode()).hexdigest()


def normalize(nb) -> None:
    """Strip what changes run to run or machine to machine; keep outputs and execution counts."""
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("execution", None)


def execute(nb_path: Path, timeout: int = CELL_TIMEOUT_S) -> float:
    """Run one notebook in a fresh ``python3`` kernel in its own folder; write it back normalised.

    Returns the wall time in seconds. An error in a cell raises with the notebook named.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    start = time.perf_counter()
    nb = nbformat.read(nb_path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(nb_path.parent)}},
    )
    try:
        client.execute(env={**os.environ, "BELARUS_FP_SERIES": nb_path.name})  # figures.series_notebook
    except CellExecutionError as exc:
        raise RuntimeError(f"{nb_path.name}: a cell failed:\n{exc}") from None
    normalize(nb)
    nbformat.validate(nb)
    text = nbformat.writes(nb) + "\n"
    nb_path.write_text(text, encoding="utf-8")
    return time.perf_counter() - start


def _read_stamps() -> dict:
    return json.loads(STAMPS.read_text()) if STAMPS.exists() else {}


def build(selected=None, force: bool = False, jobs: int = 2, log=print) -> list[Path]:
    """Execute the out-of-date notebooks (all with ``force``), ``jobs`` at a time; returns those run."""
    selected = [Path(p).resolve() for p in selected] if selected else notebooks()
    stamps = _read_stamps()
    tree = _tree_digest()
    todo = []
    for nb_path in selected:
        key = nb_path.name
        if not force and stamps.get(key) == input_hash(nb_path, tree):
            log(f"[build] {key}: up to date")
        else:
            todo.append(nb_path)
    if not todo:
        return []

    def done(nb_path, seconds):
        stamps[nb_path.name] = input_hash(nb_path, tree)
        log(f"[build] {nb_path.name}: executed in {seconds:.1f} s")

    try:
        execute_all(todo, jobs, on_done=done, log=log)
    finally:
        STAMPS.parent.mkdir(exist_ok=True)
        STAMPS.write_text(json.dumps(stamps, indent=1, sort_keys=True) + "\n")
    return todo


def execute_all(nb_paths, jobs: int = 2, on_done=None, log=print) -> None:
    """Execute notebooks ``jobs`` at a time, each in its own process; fail naming every failed one."""
    failures = []
    # Longest first, so the two workers finish together; a notebook's size (its stored
    # outputs, mostly figures) is a good proxy for how long it runs.
    ordered = sorted(nb_paths, key=lambda p: p.stat().st_size, reverse=True)
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(nb_paths)))) as pool:
        futures = {pool.submit(execute, nb_path): nb_path for nb_path in ordered}
        for future in as_completed(futures):
            nb_path = futures[future]
            try:
                seconds = future.result()
            except Exception as exc:  # report every failing notebook, then fail
                failures.append(f"{nb_path.name}: {exc}")
                log(f"[build] {nb_path.name}: FAILED")
                continue
            if on_done:
                on_done(nb_path, seconds)
    if failures:
        raise SystemExit("notebook build failed:\n" + "\n".join(failures))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks to build (default: all)")
    parser.add_argument("--force", action="store_true", help="execute even if up to date")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks run in parallel")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    ran = build(args.notebooks, force=args.force, jobs=args.jobs, log=lambda m: print(m, flush=True))
    print(f"[build] {len(ran)} notebook(s) executed in {time.perf_counter() - start:.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
