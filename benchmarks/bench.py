"""Benchmarks (`make bench`): medians of several runs, printed as a table.

- import: `python -c "import belarus_fp"` in a fresh interpreter (target < 0.3 s)
- no-op rebuild: `python -m belarus_fp.build` with everything up to date (target < 1 s)
- full rebuild: every notebook executed, 2 at a time, on copies in a temporary folder
- floor: the same number of kernels, each importing exactly the modules its notebook ends up
  with in ``sys.modules`` (kernel start + imports, nothing computed); target: full rebuild
  within 1.3x of the floor
- load tables: every curated table loaded and validated, quotes checked, fresh interpreter
  (target < 0.5 s)
- mentions: the mention finder over both documents repeated to about 4 MB (target < 5 s)
- propose: candidate rows (``belarus_fp.propose``) for the documents' paragraphs repeated to about
  4 MB (target < 10 s), fresh interpreter
- wrong quotes: a copy of the data whose bilateral.csv holds 10,000 rows with quotes that are
  not in the document; time to load and report every one (target < 5 s), fresh interpreter
- huge wrong quote: one 50,000-character quote not in the document; time and message length
- documents x1, x2, x4 (``SCALING_FACTORS``): the full rebuild (every notebook, 2 at a time) in a temporary copy of the
  repository whose documents are duplicated (``documents.add`` of a copy of each text, its curated
  rows copied under the new doc_id) to 2, 4 and 8 documents today; time per document should stay flat
"""

from __future__ import annotations

import csv
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
from belarus_fp.commands import build, documents

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
            full = timed(lambda: build.execute_all(copies(Path(tmp) / "nb"), jobs=2), runs)
            executed = sorted((Path(tmp) / "nb").glob("*.ipynb"))
            floor = timed(lambda: build.execute_all(floor_copies(Path(tmp) / "floor", executed), jobs=2), runs)
        finally:
            os.environ.pop("BELARUS_FP_FIGURES")
    return full, floor


#: Curated id columns that start with the document's ``id_prefix`` (``r13-...``).
PREFIXED = {f"{table}.csv": key for table, key in vocabulary.PREFIXED_IDS.items()}
#: Curated tables of things, not of statements (one row per organisation): never copied. The speakers
#: table holds the corpus's own record of each statement; a copy is not in the corpus's metadata.csv.
NOT_PER_DOCUMENT = {"organizations.csv", "speakers.csv"}


def duplicated_repo(folder: Path, factor: int) -> Path:
    """A copy of the repository (data, notebooks, the notebooks' test data) whose every document is
    there ``factor`` times: the copies are registered with ``documents.add`` (each text with
    ``k`` trailing newlines, so its checksum differs and its paragraphs do not) and get the
    original's curated rows under the new doc_id and id prefix."""
    root = folder / f"x{factor}"
    shutil.copytree(paths.DATA, root / "data", ignore=shutil.ignore_patterns("proposed"))
    shutil.copytree(paths.NOTEBOOKS, root / "notebooks")
    shutil.copytree(paths.ROOT / "tests" / "data", root / "tests" / "data")
    curated = root / "data" / "curated"
    tables = {}
    for path in sorted(curated.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            tables[path.name] = list(csv.reader(fh))
    for row in sources.manifest(root / "data" / "raw"):
        for k in range(1, factor):
            text = folder / f"copy{k}-{row['file']}"
            text.write_bytes((root / "data" / "raw" / row["file"]).read_bytes() + b"\n" * k)
            new_id, new_prefix = f"{row['doc_id']}-copy{k}", f"{row['id_prefix']}c{k}"
            fields = {column: row.get(column, "") for column in (*documents.OPTIONS, *documents.OPTIONAL)}
            fields.update(doc_id=new_id, label=f"{row['label']} (copy {k})", id_prefix=new_prefix)
            documents.add(text, fields, root)
            for name, (header, *rows) in tables.items():
                if "doc_id" not in header or name in NOT_PER_DOCUMENT:
                    continue
                d, key = header.index("doc_id"), PREFIXED.get(name)
                copied = []
                for r in (r for r in rows if r[d] == row["doc_id"]):
                    r = list(r)
                    r[d] = new_id
                    if key:
                        i = header.index(key)
                        r[i] = new_prefix + r[i][len(row["id_prefix"]) :]
                    copied.append(r)
                with open(curated / name, "a", encoding="utf-8", newline="") as fh:
                    csv.writer(fh, lineterminator="\n").writerows(copied)
    return root


#: How many times the bench duplicates the documents of the manifest (x1, x2, x4).
SCALING_FACTORS = (1, 2, 4)


def scaling_times(factors=SCALING_FACTORS, runs: int = 1) -> list[tuple[int, float, list]]:
    """(documents, median seconds of the full rebuild, [(notebook, error) that failed]) with the
    documents duplicated ``factor`` times."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for factor in factors:
            root = duplicated_repo(Path(tmp), factor)
            n_docs = len(sources.doc_ids(root / "data" / "raw"))
            saved = {k: os.environ.get(k) for k in (paths.ENV_ROOT, paths.ENV_FIGURES)}
            os.environ[paths.ENV_ROOT], os.environ[paths.ENV_FIGURES] = str(root), str(root / "figures")
            failed = set()

            def rebuild():
                try:
                    build.execute_all(sorted((root / "notebooks").glob("*.ipynb")), jobs=2, log=lambda m: None)
                except build.BuildError as exc:  # every notebook has run; the failures are reported, not hidden
                    failed.update(re.findall(r"^(\S+\.ipynb): cell .*?failed: (\w+)", str(exc), flags=re.M))

            try:
                seconds = timed(rebuild, runs)
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


def main() -> None:
    runs = int(os.environ.get("BENCH_RUNS", "5"))
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
            0.5,
        )
    )
    mentions_code = (
        "import time; from belarus_fp.archive import finder, sources; "
        "text = '\\n\\n'.join(sources.load_text(d) for d in sources.doc_ids()); "
        "big = text * (4_000_000 // len(text) + 1); finder.find_mentions('warm up Belarus'); "
        "t = time.perf_counter(); finder.find_mentions(big); print(time.perf_counter() - t)"
    )
    if (paths.ROOT / "src" / "belarus_fp" / "mentions.py").exists():
        results.append(("mention finder on ~4 MB of text", subprocess_time(mentions_code, max(1, runs // 2)), 5.0))
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
    print(f"[bench] full rebuild: {runs // 2 or 1} run(s) each of the series and of its floor ...", flush=True)
    full, floor = rebuild_times(max(1, runs // 2))
    results.append(("full rebuild of every notebook (2 jobs)", full, None))
    results.append(("floor: kernel start + each notebook's imports", floor, None))
    counts = ", ".join(str(f * len(sources.doc_ids())) for f in SCALING_FACTORS)
    print(f"[bench] full rebuild with the documents duplicated to {counts} ...", flush=True)
    for n_docs, seconds, failed in scaling_times(runs=max(1, runs // 2)):
        results.append((f"full rebuild, {n_docs} documents ({seconds / n_docs:.2f} s per document)", seconds, None))
        for notebook, error in failed:
            print(f"[bench] {n_docs} documents: {notebook} FAILED ({error})", flush=True)
    print(f"\n{'benchmark':<52} {'median s':>9} {'target':>8}")
    for name, seconds, target in results:
        mark = "" if target is None else (f"< {target:g}" + (" ok" if seconds < target else " MISSED"))
        print(f"{name:<52} {seconds:>9.3f} {mark:>8}")
    ratio = full / floor
    print(f"{'full rebuild / floor (target <= 1.3)':<52} {ratio:>9.2f} {'ok' if ratio <= 1.3 else 'MISSED':>8}")
    print(f"\n(medians of {runs} runs; rebuilds of {max(1, runs // 2)}; {os.cpu_count()} cores; Python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
