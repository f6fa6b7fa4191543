"""The curated tables: one loader that reads, types and validates every table.

``data/curated/datapackage.json`` (Frictionless Table Schema) is the one description of each
table: its fields, types, required fields, allowed values, patterns and keys. The pandera
models in :mod:`belarus_fp.schemas` are built from it, so the two cannot drift. On top of
the schema, the loader proves every row against the documents (the quote is in its document;
the stated number, country name or organisation name is in the quote) and checks the keys
that join the tables.

Every problem is reported with the file, the line number in the CSV (header = line 1), the
column and the offending value; nothing is dropped or repaired.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import paths

TABLES = ("facts", "bilateral", "groupings", "organizations", "multilateral", "framing", "sections")
DATAPACKAGE = "datapackage.json"


@dataclass(frozen=True)
class Problem:
    """One bad cell: where it is and what is wrong with it."""

    file: str
    line: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        value = self.value if len(self.value) <= 100 else self.value[:97] + "..."
        return f"{self.file}, line {self.line}, column {self.column!r}: {self.message} (value: {value!r})"


class TableError(ValueError):
    """A curated table failed validation; ``problems`` lists every bad cell found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n  ".join(str(p) for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in the curated data:\n  {shown}{more}")


def datapackage(data_dir: Path | None = None) -> dict:
    """The Frictionless data package descriptor of the curated tables."""
    curated = Path(data_dir or paths.DATA) / "curated"
    return json.loads((curated / DATAPACKAGE).read_text(encoding="utf-8"))


def resource(name: str, data_dir: Path | None = None) -> dict:
    """The descriptor of one table (path and schema)."""
    for res in datapackage(data_dir)["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(f"no table {name!r}; tables: {TABLES}")


def read_csv_rows(path: Path, display: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """Read a CSV strictly as UTF-8 text; returns the header and (line number, row) pairs.

    Every value stays a string ("NA" is Namibia, not a missing value).
    """
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        prefix = data[line_start : exc.start].decode("utf-8", errors="replace")
        header = next(csv.reader(io.StringIO(data.split(b"\n", 1)[0].decode("utf-8", "replace"))))
        field = len(next(csv.reader(io.StringIO(prefix)), [""])) - 1
        column = header[field] if 0 <= field < len(header) else f"#{field + 1}"
        bad = data[exc.start : exc.end + 8].decode("utf-8", errors="backslashreplace")
        raise TableError([Problem(display, line, column, bad, f"not UTF-8 ({exc.reason})")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    rows = []
    start = reader.line_num + 1
    for values in reader:
        if values:
            rows.append((start, dict(zip(header, values + [""] * (len(header) - len(values))))))
            if len(values) > len(header):
                raise TableError([Problem(display, start, "(row)", ",".join(values), f"{len(values)} values for {len(header)} columns")])
        start = reader.line_num + 1
    return header, rows


def load_table(name: str, data_dir: Path | None = None, check_quotes: bool = True):
    """Load one curated table as a typed, validated DataFrame (index = CSV line number).

    Args:
        name: one of ``TABLES``.
        data_dir: a ``data/`` folder (default: the repository's); tests pass corrupted copies.
        check_quotes: prove each quote against its document (and its number / name in the quote).

    Raises:
        TableError: naming file, line, column and value of every problem found.
    """
    data_dir = Path(data_dir or paths.DATA)
    tables = _load_all(data_dir, _fingerprint(data_dir), check_quotes)
    return tables[name].copy()


def load_all(data_dir: Path | None = None, check_quotes: bool = True) -> dict:
    """Every curated table, validated together (foreign keys need them all)."""
    data_dir = Path(data_dir or paths.DATA)
    return {k: v.copy() for k, v in _load_all(data_dir, _fingerprint(data_dir), check_quotes).items()}


def _fingerprint(data_dir: Path) -> tuple:
    files = sorted((data_dir / "curated").glob("*")) + sorted((data_dir / "raw").glob("*"))
    return tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)


@lru_cache(maxsize=4)
def _load_all(data_dir: Path, fingerprint: tuple, check_quotes: bool) -> dict:
    from . import schemas

    package = datapackage(data_dir)
    raw_dir = data_dir / "raw"
    frames, problems = {}, []
    for res in package["resources"]:
        path = data_dir / "curated" / res["path"]
        display = str(Path("data") / "curated" / res["path"])
        try:
            header, rows = read_csv_rows(path, display)
            frames[res["name"]] = schemas.validate(res, header, rows, display)
        except TableError as exc:
            problems.extend(exc.problems)
    if problems:
        raise TableError(problems)
    problems.extend(schemas.check_keys(frames, package))
    if check_quotes:
        problems.extend(schemas.check_against_documents(frames, package, raw_dir))
    if problems:
        raise TableError(problems)
    return frames


def facts(data_dir: Path | None = None):
    """``facts.csv``: every quantitative statement."""
    return load_table("facts", data_dir)


def bilateral(data_dir: Path | None = None):
    """``bilateral.csv``: one row per (document, country, relation, quote)."""
    return load_table("bilateral", data_dir)


def groupings(data_dir: Path | None = None):
    """``groupings.csv``: country groupings named as such."""
    return load_table("groupings", data_dir)


def organizations(data_dir: Path | None = None):
    """``organizations.csv``: every organisation and body named."""
    return load_table("organizations", data_dir)


def multilateral(data_dir: Path | None = None):
    """``multilateral.csv``: one row per (document, organisation, engagement, quote)."""
    return load_table("multilateral", data_dir)


def framing(data_dir: Path | None = None):
    """``framing.csv``: how each document qualifies each partner, in its own words."""
    return load_table("framing", data_dir)


def sections(data_dir: Path | None = None):
    """``sections.csv``: the documents cut into thematic sections."""
    return load_table("sections", data_dir)
