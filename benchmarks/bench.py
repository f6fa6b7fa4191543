"""Benchmarks (`make bench`): medians of several runs, printed as a table.

- import: `python -c "import belarus_fp"` in a fresh interpreter (target < 0.3 s)
- no-op rebuild: `python -m belarus_fp.build` with everything up to date (target < 1 s)
- full rebuild: every notebook executed, 2 at a time, on copies in a temporary folder
- floor: the same with each notebook cut to its first code cell (kernel start + imports);
  target: full rebuild within 1.3x of the floor
- load tables: every curated table loaded and validated, quotes checked, fresh interpreter
  (target < 0.5 s)
- mentions: the mention finder over both documents repeated to about 4 MB (target < 5 s)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from belarus_fp import build, paths

PY = sys.executable


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def subprocess_time(code: str, runs: int) -> float:
    """Median of what the child itself reports (its printed seconds), or its wall time."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run([PY, "-c", code], check=True, capture_output=True, text=True).stdout.strip()
        times.append(float(out) if out else time.perf_counter() - start)
    return statistics.median(times)


def copies(folder: Path, first_code_cell_only: bool) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for nb_path in build.notebooks():
        nb = nbformat.read(nb_path, as_version=4)
        if first_code_cell_only:
            first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
            nb.cells = nb.cells[: first + 1]
        target = folder / nb_path.name
        nbformat.write(nb, target)
        out.append(target)
    return out


def rebuild_time(first_code_cell_only: bool, runs: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["BELARUS_FP_FIGURES"] = str(Path(tmp) / "figures")

        def run():
            for target in copies(Path(tmp) / "nb", first_code_cell_only):
                pass
            build.execute_all(sorted((Path(tmp) / "nb").glob("*.ipynb")), jobs=2)

        try:
            return timed(run, runs)
        finally:
            os.environ.pop("BELARUS_FP_FIGURES")


def main() -> None:
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    results = []
    results.append(("import belarus_fp (fresh interpreter)", subprocess_time(
        "import time; t = time.perf_counter(); import belarus_fp; print(time.perf_counter() - t)", runs * 2), 0.3))
    build.build(log=lambda m: None)  # make sure everything is up to date first
    results.append(("no-op rebuild (python -m belarus_fp.build)", timed(
        lambda: subprocess.run([PY, "-m", "belarus_fp.build"], check=True, capture_output=True), runs), 1.0))
    results.append(("load + validate all tables, quotes checked", subprocess_time(
        "import time; from belarus_fp import tables; import pandera.pandas; t = time.perf_counter(); "
        "tables.load_all(); print(time.perf_counter() - t)", runs), 0.5))
    mentions_code = (
        "import time; from belarus_fp import mentions, sources; "
        "text = '\\n\\n'.join(sources.load_text(d) for d in sources.doc_ids()); "
        "big = text * (4_000_000 // len(text) + 1); mentions.find_mentions('warm up Belarus'); "
        "t = time.perf_counter(); mentions.find_mentions(big); print(time.perf_counter() - t)"
    )
    if (paths.ROOT / "src" / "belarus_fp" / "mentions.py").exists():
        results.append(("mention finder on ~4 MB of text", subprocess_time(mentions_code, max(1, runs // 2)), 5.0))
    print(f"[bench] full rebuild: {runs // 2 or 1} run(s) each of the series and of its floor ...", flush=True)
    full = rebuild_time(False, max(1, runs // 2))
    floor = rebuild_time(True, max(1, runs // 2))
    results.append(("full rebuild of every notebook (2 jobs)", full, None))
    results.append(("floor: kernel start + first cell of each notebook", floor, None))
    print(f"\n{'benchmark':<52} {'median s':>9} {'target':>8}")
    for name, seconds, target in results:
        mark = "" if target is None else (f"< {target:g}" + (" ok" if seconds < target else " MISSED"))
        print(f"{name:<52} {seconds:>9.3f} {mark:>8}")
    ratio = full / floor
    print(f"{'full rebuild / floor (target <= 1.3)':<52} {ratio:>9.2f} {'ok' if ratio <= 1.3 else 'MISSED':>8}")
    print(f"\n(medians of {runs} runs; rebuilds of {max(1, runs // 2)}; {os.cpu_count()} cores; Python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
