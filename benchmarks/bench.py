"""Benchmarks (`make bench`): medians of several runs, printed as a table.

- import: `python -c "import belarus_fp"` in a fresh interpreter (target < 0.3 s)
- no-op rebuild: `python -m belarus_fp.build` with everything up to date (target < 1 s)
- full rebuild: every notebook executed, 2 at a time, on copies in a temporary folder
- floor: the same number of kernels, each importing exactly the modules its notebook ends up
  with in ``sys.modules`` (kernel start + imports, nothing computed); target: full rebuild
  within 1.3x of the floor
- load tables: every curated table loaded and validated, quotes checked, fresh interpreter, with the
  79 UN statements in the archive (target < 1 s)
- mentions: the mention finder over every document repeated to about 4 MB (target < 5 s), and over the
  79 UN statements as the build runs it (the derived table, target < 5 s)
- propose, corpus: candidate rows for each of the 79 UN statements, one after another (target < 60 s)
- propose: candidate rows (``belarus_fp.propose``) for the documents' paragraphs repeated to about
  4 MB (target < 10 s), fresh interpreter
- wrong quotes: a copy of the data whose bilateral.csv holds 10,000 rows with quotes that are
  not in the document; time to load and report every one (target < 5 s), fresh interpreter
- huge wrong quote: one 50,000-character quote not in the document; time and message length
- 2 documents / 81 / the corpus x4: the full rebuild (the derived table, then every notebook, 2 at a
  time) in a temporary copy of the repository holding only the ministry's two texts (the UN statements
  and their rows removed), the archive as it is, and the archive with the UN statements repeated four
  times (``documents.add_many`` of copies of each text, with ``k`` trailing newlines so the checksums
  differ); the cost per added document is the difference over the documents added
- everyday commands: ``make test-fast``; ``make test`` right after a build (its notebook tests trust
  the build's stamps: target under 3x ``make test-fast``); ``make install`` into a fresh virtual
  environment with uv (``tools/install.py --installer uv``) against plain pip of the same pins
  (``--installer pip``), package caches warm (target: uv at least 2x faster). ``BENCH_INSTALL=0`` leaves
  the installs out (each pip run takes a minute or two)
"""

from __future__ import annotations

import csv
import functools
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from belarus_fp import paths
from belarus_fp.archive import sources, vocabulary
from belarus_fp.commands import build, documents, execution, notebook_form

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


RECORD_MODULES = "import sys\nprint(','.join(sorted(sys.modules)))"


def copies(folder: Path) -> list[Path]:
    """Copies of the notebooks, each with a last cell printing the modules it imported."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for nb_path in build.notebooks():
        nb = nbformat.read(nb_path, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(RECORD_MODULES))
        nbformat.write(nb, folder / nb_path.name)
        out.append(folder / nb_path.name)
    return out


def floor_copies(folder: Path, executed: list[Path]) -> list[Path]:
    """One notebook per executed one: a single cell importing the modules that one ended with."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for nb_path in executed:
        modules = nbformat.read(nb_path, as_version=4).cells[-1].outputs[0]["text"].strip().split(",")
        cell = (
            "import importlib\n"
            f"for name in {modules!r}:\n"
            "    try:\n        importlib.import_module(name)\n    except Exception:\n        pass"
        )
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
        nbformat.write(nb, folder / nb_path.name)
        out.append(folder / nb_path.name)
    return out


def rebuild_times(runs: int) -> tuple[float, float]:
    """Medians of the full rebuild and of its floor, on copies in a temporary folder."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["BELARUS_FP_FIGURES"] = str(Path(tmp) / "figures")
        try:
            full = timed(lambda: execution.execute_all(copies(Path(tmp) / "nb"), jobs=2), runs)
            executed = sorted((Path(tmp) / "nb").glob("*.ipynb"))
            floor = timed(lambda: execution.execute_all(floor_copies(Path(tmp) / "floor", executed), jobs=2), runs)
        finally:
            os.environ.pop("BELARUS_FP_FIGURES")
    return full, floor


#: The archives the scaling benchmark rebuilds: the ministry's texts only, the archive as it is, the UN statements x4.
SCALING = ("ministry", "as it is", "ungd x4")


def scaled_repo(folder: Path, kind: str) -> Path:
    """A copy of the repository (data, notebooks, the notebooks' test data) for one of :data:`SCALING`."""
    root = folder / kind.replace(" ", "-")
    shutil.copytree(paths.DATA, root / "data", ignore=shutil.ignore_patterns("proposed", ".transaction"))
    shutil.copytree(paths.NOTEBOOKS, root / "notebooks", ignore=shutil.ignore_patterns("own"))
    shutil.copytree(paths.ROOT / "tests" / "data", root / "tests" / "data")
    data, raw = root / "data", root / "data" / "raw"
    ungd = sources.doc_ids(data, collection=sources.UNGD)
    if kind == "ministry":
        _drop_documents(root, ungd)
    elif kind == "ungd x4":
        items = []
        for row in (r for r in sources.manifest(data) if r["doc_id"] in ungd):
            for k in range(1, 4):
                text = folder / f"copy{k}-{row['file']}"
                text.write_bytes((raw / row["file"]).read_bytes() + b"\n" * k)
                fields = {column: row.get(column, "") for column in (*documents.OPTIONS, *documents.OPTIONAL)}
                fields.update(doc_id=f"{row['doc_id']}-copy{k}", label=f"{row['label']} (copy {k})", id_prefix=f"{row['id_prefix']}c{k}")
                items.append((text, fields))
        documents.add_many(items, root)
    return root


def _drop_documents(root: Path, doc_ids: list) -> None:
    """Remove ``doc_ids`` (files, manifest rows, curated rows, data package enums) from the copy at ``root``,
    and the name tables' entries for the organisations only those documents' rows named (curated from them)."""
    import json

    raw, curated = root / "data" / "raw", root / "data" / "curated"
    with open(curated / "organizations.csv", encoding="utf-8", newline="") as fh:
        gone = {r["org_id"] for r in csv.DictReader(fh) if r["doc_id"] in doc_ids}
    for name in ("org_aliases.csv", "org_compounds.csv"):
        path = root / "data" / "reference" / name
        with open(path, encoding="utf-8", newline="") as fh:
            header, *rows = list(csv.reader(fh))
        o = header.index("org_id")
        with open(path, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows([header, *(r for r in rows if r[o] not in gone)])
    for row in sources.manifest(root / "data"):
        if row["doc_id"] in doc_ids:
            (raw / row["file"]).unlink()
    for path in [raw / sources.MANIFEST, *sorted(curated.glob("*.csv"))]:
        with open(path, encoding="utf-8", newline="") as fh:
            header, *rows = list(csv.reader(fh))
        if "doc_id" in header:
            d = header.index("doc_id")
            with open(path, "w", encoding="utf-8", newline="") as fh:
                csv.writer(fh, lineterminator="\n").writerows([header, *(r for r in rows if r[d] not in doc_ids)])
    package = json.loads((curated / "datapackage.json").read_text(encoding="utf-8"))
    (curated / "datapackage.json").write_text(vocabulary.datapackage_text(vocabulary.with_enums(package, root / "data")), encoding="utf-8")


def scaling_times(kinds=SCALING, runs: int = 1) -> list[tuple[int, float, list]]:
    """(documents, median seconds of the full rebuild, [(notebook, error) that failed]) for each archive of ``kinds``."""
    from belarus_fp.analysis import mention_table

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            root = scaled_repo(Path(tmp), kind)
            n_docs = len(sources.doc_ids(root / "data"))
            saved = {k: os.environ.get(k) for k in (paths.ENV_ROOT, paths.ENV_FIGURES)}
            os.environ[paths.ENV_ROOT], os.environ[paths.ENV_FIGURES] = str(root), str(root / "figures")
            failed: set = set()

            def rebuild(root: Path, failed: set) -> None:
                derived = root / "data" / Path(*mention_table.MENTIONS_FILE)
                derived.write_text(mention_table.mentions_csv(root / "data"), encoding="utf-8")
                try:
                    execution.execute_all(sorted((root / "notebooks").glob("*.ipynb")), jobs=2, log=lambda m: None)
                except notebook_form.BuildError as exc:  # every notebook has run; the failures are reported, not hidden
                    failed.update(re.findall(r"^(\S+\.ipynb): cell .*?failed: (\w+)", str(exc), flags=re.M))

            try:
                seconds = timed(functools.partial(rebuild, root, failed), runs)
            finally:
                for k, v in saved.items():
                    os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
            out.append((n_docs, seconds, sorted(failed)))
    return out


WRONG_QUOTES_CODE = """
import sys, time
from pathlib import Path
from belarus_fp.archive import tables
import pandera.pandas
t = time.perf_counter()
try:
    tables.load_all(Path(sys.argv[1]))
    raise SystemExit("the wrong quotes were accepted")
except tables.TableError as exc:
    seconds, message, problems = time.perf_counter() - t, str(exc), exc.problems
print(seconds, sum(p.column == "quote" for p in problems), len(message))
"""


def wrong_quotes_copy(folder: Path, rows: int, length: int = 0) -> Path:
    """A copy of data/ whose bilateral.csv has ``rows`` rows (real ones, cycled), each with a quote
    that is not in its document (``length`` characters long if given)."""
    data = folder / "data"
    shutil.copytree(paths.DATA, data)
    path = data / "curated" / "bilateral.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        header, *real = list(csv.reader(fh))
    q = header.index("quote")
    out = []
    for i in range(rows):
        row = list(real[i % len(real)])
        quote = f"Belarus never wrote sentence number {i} in this review."
        row[q] = (quote + " " + "and so on " * (length // 10))[:length].strip() if length else quote
        out.append(row)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *out])
    return data


def wrong_quotes(runs: int, rows: int, length: int = 0) -> tuple[float, int, int]:
    """Median seconds to report them, problems on the quote column, characters of the message."""
    with tempfile.TemporaryDirectory() as tmp:
        data = wrong_quotes_copy(Path(tmp), rows, length)
        results = []
        for _ in range(runs):
            out = subprocess.run([PY, "-c", WRONG_QUOTES_CODE, str(data)], check=True, capture_output=True, text=True)
            seconds, problems, chars = out.stdout.split()
            results.append((float(seconds), int(problems), int(chars)))
    return statistics.median(r[0] for r in results), results[0][1], results[0][2]


def wall_time(command: list[str], runs: int, env=None) -> float:
    """Median wall time of a command run from the repository root (its output discarded; it must succeed)."""

    def once():
        subprocess.run(command, cwd=paths.ROOT, check=True, capture_output=True, env=env)

    return timed(once, runs)


def everyday_times(runs: int, installs: bool = True) -> list[tuple[str, float, float | None]]:
    """``make test-fast``, ``make test`` after a build, and ``make install`` with uv and with pip."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL")}
    build.build(log=lambda m: None)  # as after `make all`: every stamp current
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    fast = wall_time(["make", "test-fast"], runs, env)
    full = wall_time(["make", "test"], max(1, runs // 2), env)
    print(
        f"[bench] make test-fast ({runs} runs) and make test: load average {load} before, "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} after",
        flush=True,
    )
    out = [("make test-fast", fast, 10.0), ("make test right after make all (stamps trusted)", full, 3 * fast)]
    if installs:
        for installer in ("uv", "pip"):
            with tempfile.TemporaryDirectory(prefix="bfp-install-") as tmp:
                venv = Path(tmp) / "venv"

                def install(venv: Path, installer: str) -> None:
                    shutil.rmtree(venv, ignore_errors=True)
                    subprocess.run(
                        [sys.executable, "tools/install.py", str(venv), "--installer", installer],
                        cwd=paths.ROOT,
                        check=True,
                        capture_output=True,
                        env=env,
                    )

                seconds = timed(functools.partial(install, venv, installer), max(1, runs // 2))
                out.append((f"make install into a fresh venv ({installer})", seconds, None))
        uv, pip = out[-2][1], out[-1][1]
        out.append((f"  uv is {pip / uv:.1f}x faster than pip (target >= 2x)", uv, pip / 2))
    return out


def main() -> None:
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    print(f"[bench] load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)", flush=True)
    results = []
    results.append(
        (
            "import belarus_fp (fresh interpreter)",
            subprocess_time("import time; t = time.perf_counter(); import belarus_fp; print(time.perf_counter() - t)", runs * 2),
            0.3,
        )
    )
    build.build(log=lambda m: None)  # make sure everything is up to date first
    results.append(
        (
            "no-op rebuild (python -m belarus_fp.build)",
            timed(lambda: subprocess.run([PY, "-m", "belarus_fp.build"], check=True, capture_output=True), runs),
            1.0,
        )
    )
    results.append(
        (
            "load + validate all tables, quotes checked",
            subprocess_time(
                "import time; from belarus_fp.archive import tables; import pandera.pandas; t = time.perf_counter(); "
                "tables.load_all(); print(time.perf_counter() - t)",
                runs,
            ),
            1.0,
        )
    )
    mentions_code = (
        "import time; from belarus_fp.archive import finder, sources; "
        "text = '\\n\\n'.join(sources.load_text(d) for d in sources.doc_ids()); "
        "big = text * (4_000_000 // len(text) + 1); finder.find_mentions('warm up Belarus'); "
        "t = time.perf_counter(); finder.find_mentions(big); print(time.perf_counter() - t)"
    )
    results.append(("mention finder on ~4 MB of text", subprocess_time(mentions_code, max(1, runs // 2)), 5.0))
    corpus_code = (
        "import time; from belarus_fp.analysis import corpus; from belarus_fp.archive import finder; "
        "finder.find_mentions('warm up Belarus'); t = time.perf_counter(); mention_table.mention_rows(); print(time.perf_counter() - t)"
    )
    results.append(("finder over the 79 UN statements (derived table)", subprocess_time(corpus_code, max(1, runs // 2)), 5.0))
    propose_corpus = (
        "import time; from belarus_fp.archive import sources; from belarus_fp.commands import propose; "
        "docs = sources.doc_ids(collection='ungd'); propose.propose_text(['Belarus and Russia signed 2 agreements.'], 'w', 'w'); "
        "t = time.perf_counter(); [propose.propose_text(sources.paragraphs(d), d, 'b') for d in docs]; print(time.perf_counter() - t)"
    )
    results.append(("propose rows for each of the 79 UN statements", subprocess_time(propose_corpus, max(1, runs // 2)), 60.0))
    propose_code = (
        "import time; from belarus_fp.archive import sources; from belarus_fp.commands import propose; "
        "paras = [p for d in sources.doc_ids() for p in sources.paragraphs(d)]; "
        "big = paras * (4_000_000 // sum(len(p) + 2 for p in paras) + 1); propose.propose_text(paras[:3], 'warm-up', 'w'); "
        "t = time.perf_counter(); propose.propose_text(big, 'bench', 'b'); print(time.perf_counter() - t)"
    )
    results.append(("propose rows on ~4 MB of text", subprocess_time(propose_code, max(1, runs // 2)), 10.0))
    seconds, problems, chars = wrong_quotes(runs, 10_000)
    assert problems == 10_000, f"{problems} wrong quotes reported of 10,000"
    results.append((f"report 10,000 wrong quotes (message {chars:,} chars)", seconds, 5.0))
    seconds, problems, chars = wrong_quotes(runs, 1, length=50_000)
    assert problems == 1
    results.append((f"report one 50,000-char wrong quote (message {chars} chars)", seconds, 5.0))
    print("[bench] everyday commands: make test-fast, make test, make install (uv, pip) ...", flush=True)
    results += everyday_times(runs, installs=os.environ.get("BENCH_INSTALL", "1") != "0")
    print(f"[bench] full rebuild: {runs // 2 or 1} run(s) each of the series and of its floor ...", flush=True)
    full, floor = rebuild_times(max(1, runs // 2))
    results.append(("full rebuild of every notebook (2 jobs)", full, None))
    results.append(("floor: kernel start + each notebook's imports", floor, None))
    print("[bench] full rebuild with 2 documents, the archive as it is, and the UN statements x4 ...", flush=True)
    scaled = scaling_times(runs=max(1, runs // 2))
    for n_docs, seconds, failed in scaled:
        results.append((f"full rebuild, {n_docs} documents", seconds, None))
        for notebook, error in failed:
            print(f"[bench] {n_docs} documents: {notebook} FAILED ({error})", flush=True)
    (n_min, s_min, _), (n_max, s_max, _) = scaled[0], scaled[-1]
    results.append((f"  cost per added document ({n_min} -> {n_max})", (s_max - s_min) / (n_max - n_min), None))
    print(f"\n{'benchmark':<52} {'median s':>9} {'target':>8}")
    for name, seconds, target in results:
        mark = "" if target is None else (f"< {target:g}" + (" ok" if seconds < target else " MISSED"))
        print(f"{name:<52} {seconds:>9.3f} {mark:>8}")
    ratio = full / floor
    print(f"{'full rebuild / floor (target <= 1.3)':<52} {ratio:>9.2f} {'ok' if ratio <= 1.3 else 'MISSED':>8}")
    print(
        f"\n(medians of {runs} runs; rebuilds, make test and installs of {max(1, runs // 2)}; {os.cpu_count()} cores; Python {sys.version.split()[0]})"
    )
    print(f"(load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; the machine may be shared: compare with it)")


if __name__ == "__main__":
    main()
