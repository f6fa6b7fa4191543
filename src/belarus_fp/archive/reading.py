"""Strict reading of the repository's CSV and JSON files, and the one writer of the CSV it writes.

The files read are the curated tables and the manifest; the writer is :func:`csv_text` (no cell a
spreadsheet would evaluate).

Every problem is a :class:`belarus_fp.errors.Problem` naming file, line, column and value;
nothing is dropped or repaired. Plain Python (no pandas): every value stays a string.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import stat
import time
import unicodedata
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

from ..errors import Problem, TableError


def content_hash(files, within: Path | None = None) -> str:
    """sha256 over each file's path and contents ("(missing)" for an absent one).

    A cache key that changes whenever a file does, even with the same size and modification time. With ``within``
    (an archive's ``data/`` folder) a file inside it counts by its path there, so every copy of an archive has the
    same key and shares what was built from those files (a test run makes thousands of copies).
    """
    digest = hashlib.sha256()
    inside = os.path.join(within, "") if within is not None else None  # the folder with its separator
    for path in files:
        name = os.fspath(path)
        digest.update((name[len(inside) :] if inside and name.startswith(inside) else name).encode() + b"\0")
        digest.update(file_digest(name))
    return digest.hexdigest()


class Recent:
    """A dict that keeps its ``size`` most recently used entries.

    The caches keyed on files' contents use it: a test run makes thousands of throwaway archives.
    """

    def __init__(self, size: int):
        self.size, self.entries = size, OrderedDict[object, object]()

    def get(self, key):
        """The value kept under ``key`` (now the most recently used), or None."""
        if key in self.entries:
            self.entries.move_to_end(key)
        return self.entries.get(key)

    def get_or_build(self, key, build):
        """The value kept under ``key``; else ``build()``, kept (an exception keeps nothing)."""
        value = self.get(key)
        if value is None:
            value = build()
            self.put(key, value)
        return value

    def put(self, key, value) -> None:
        """Keep ``value`` under ``key``, dropping the least recently used entry beyond ``size``."""
        self.entries[key] = value
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)


#: A file changed less than this long ago is read and hashed again on every call (below).
RACY_NS = 2_000_000_000
#: (path, device, inode, size, mtime, ctime) -> the sha256 of the file's bytes then.
_DIGESTS = Recent(50_000)


def file_digest(path: str | os.PathLike) -> bytes:
    """The sha256 of the file's bytes (``b"(missing)"`` if it is not a file), read again only when it may have changed.

    As git does for its index: a digest is reused while the file's inode, size, modification and status-change
    times are all as they were, and only for a file last changed at least :data:`RACY_NS` before it was hashed.
    Any write sets the status-change time (``ctime``) to the clock's time, and no call can set it back, so an edit
    that keeps the size and restores the modification time is still seen; the time margin covers two writes
    within one tick of the file system's clock, which would leave every time as it was.
    """
    name = os.fspath(path)
    try:
        st = os.stat(name)
    except OSError:
        return b"(missing)"
    if not stat.S_ISREG(st.st_mode):
        return b"(missing)"
    key = (name, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    digest = _DIGESTS.get(key)
    if digest is None:
        with open(name, "rb") as fh:
            digest = hashlib.sha256(fh.read()).digest()
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) >= RACY_NS:
            _DIGESTS.put(key, digest)
    return digest


def parsed_once(cache: Recent, path: Path, parse, *key):
    """``parse(bytes)`` of a file, kept in ``cache`` under the sha256 of the bytes parsed (and ``key``).

    Found again by the file's digest (:func:`file_digest`), so a copy of the file elsewhere shares it and an edit
    is always parsed anew; a parse that raises keeps nothing.
    """
    found = cache.get((file_digest(path), *key))
    if found is None:
        data = Path(path).read_bytes()
        found = parse(data)
        cache.put((hashlib.sha256(data).digest(), *key), found)
    return found


#: The one column that is copied verbatim from a document, non-breaking spaces included.
VERBATIM = {"quote"}
#: Columns copied exactly from another file, leading and trailing spaces included (``speakers.csv``'s values
#: as the UN General Debate Corpus records them; the loader compares them with that file): the one exception
#: to the no-padding rule.
AS_RECORDED = {"country_as_recorded", "speaker_as_recorded", "post_as_recorded"}
SPREADSHEET_ERRORS = {"#N/A", "#VALUE!", "#REF!", "#NAME?", "#DIV/0!", "#NUM!", "#NULL!"}
#: A cell starting with one of these is evaluated as a formula by Excel, LibreOffice and Google Sheets
#: ("=HYPERLINK(...)", "+cmd|...", "@SUM(...)"); tab and carriage return are whitespace, refused anyway.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-\d+(?:\.\d+)?")  # "-61.85": a spreadsheet reads a number, evaluates nothing


def formula_problem(value: str) -> str | None:
    """Why a spreadsheet would evaluate ``value`` as a formula, or None (a plain negative number is fine)."""
    if not value.startswith(FORMULA_START) or _PLAIN_NUMBER.fullmatch(value):
        return None
    return (
        f"starts with {value[0]!r}: a spreadsheet would evaluate it as a formula; start the value with a letter or digit "
        "(a quote: start it after that character; it stays a verbatim passage)"
    )


def read_json(path: Path, display: str) -> dict:
    """A JSON file (UTF-8, BOM accepted); an unreadable one is a TableError naming file and line."""
    if not path.is_file():
        raise TableError([Problem(display, 0, "(file)", "", "file is missing")])
    return read_json_bytes(path.read_bytes(), display)


def read_json_bytes(data: bytes, display: str) -> dict:
    """JSON from a file's bytes (UTF-8, BOM accepted); errors as :func:`read_json`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError([Problem(display, 0, "(file)", "", f"not UTF-8 ({exc.reason} at byte {exc.start})")]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        line = text.splitlines()[exc.lineno - 1] if text.strip() else ""
        raise TableError([Problem(display, exc.lineno, f"char {exc.colno}", line, f"not valid JSON: {exc.msg}")]) from None


# One CSV field: quoted (doubled quotes inside, no line break) or unquoted (no quote, comma or line break).
_FIELD = re.compile(r'"((?:[^"\r\n]|"")*)"|([^,"\r\n]*)')
#: A line of well-formed fields with a double quote: the csv module reads it as the field by field reading would.
_WELL_QUOTED = re.compile(r'(?:"(?:[^"]|"")*"|[^,"]*)(?:,(?:"(?:[^"]|"")*"|[^,"]*))*')
#: What ends a line: ``\r\n``, ``\n`` or ``\r`` (and no other of the characters ``str.splitlines`` splits at).
_LINE_END = re.compile(r"\r\n|\n|\r")


def parse_csv(text: str, display: str) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    r"""Split CSV text into (line number, values) records, one per line; every malformed line is a problem.

    Strict RFC 4180 with one restriction: no line breaks inside values (a curated value is one
    line; a multi-line value is nearly always a quote left open). ``\n``, ``\r\n`` and ``\r``
    all end a line.

    Since no value holds a line break, each line is read on its own; a line without a double quote is its values
    joined by commas (split in one call, as the field by field reading gives them: most lines of the derived table).
    """
    lines = _LINE_END.split(text)
    if lines[-1] == "":
        lines.pop()  # the text ends with a line break (or is empty): no line after it
    records, problems = [], []
    for number, line in enumerate(lines, start=1):
        if '"' not in line:
            records.append((number, line.split(",")))
        elif _WELL_QUOTED.fullmatch(line):
            records.append((number, _well_quoted(line)))
        else:
            values, problem = _quoted_line(line)
            assert problem is not None  # a line that is not well formed has a problem, and the reading says where
            error, at = problem
            problems.append(Problem(display, number, f"#{len(values)}", line[at:], error))
    return records, problems


def _well_quoted(line: str) -> list[str]:
    """The values of a well-formed line with a double quote, by the csv module (field by field past its size limit)."""
    try:
        return next(csv.reader((line,)))
    except csv.Error:
        return _quoted_line(line)[0]


def _quoted_line(line: str) -> tuple[list[str], tuple[str, int] | None]:
    """The values of a line holding a double quote, field by field, and what is wrong with it (and where) or None."""
    values, pos, end = [], 0, len(line)
    while True:
        match = _FIELD.match(line, pos)
        assert match is not None  # its second alternative matches the empty string
        quoted = match.group(1) is not None
        values.append(match.group(1).replace('""', '"') if quoted else match.group(2))
        pos = match.end()
        if pos == end:
            return values, None
        if line[pos] == ",":
            pos += 1
            continue
        if quoted:
            error = "text after the closing double quote (a quote inside a value must be doubled)"
        elif match.start() == match.end() and line[pos] == '"':
            error = "a double quote opens this value and is not closed on the same line (a value may not span lines)"
        else:
            error = "a double quote inside an unquoted value (quote the whole value and double the inner quote)"
        return values, (error, match.start())


def _decode(data: bytes, display: str) -> tuple[str, list[Problem]]:
    """UTF-8 text of a file (a leading UTF-8 BOM is dropped); each line that is not UTF-8 is a problem."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", [Problem(display, 1, "(file)", data[:2].hex(" "), "starts with a UTF-16 byte-order mark (BOM): save the file as UTF-8")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    problems = []
    lines = data.split(b"\n")
    header = parse_csv(lines[0].decode("utf-8-sig", "replace"), display)[0]
    names = header[0][1] if header else []
    for number, raw in enumerate(lines, start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            prefix = raw[: exc.start].decode("utf-8", "replace")
            field = prefix.count(",")  # good enough to name the column: quoted commas are rare before bad bytes
            column = names[field] if field < len(names) else f"#{field + 1}"
            bad = raw[max(0, exc.start - 10) : exc.end + 10].decode("utf-8", "backslashreplace")
            hint = " (the file looks saved as Windows-1252 / Latin-1: save it as UTF-8)" if raw[exc.start] >= 0x80 else ""
            problems.append(Problem(display, number, column, bad, f"not UTF-8: byte 0x{raw[exc.start]:02x}{hint}"))
    return "", problems


def _named(problem: Problem, header: list[str]) -> Problem:
    """A parse problem's column ``#3`` named from the header where it has a name."""
    if problem.column.startswith("#") and problem.column[1:].isdigit() and int(problem.column[1:]) <= len(header):
        return replace(problem, column=header[int(problem.column[1:]) - 1] or problem.column)
    return problem


def _cell_problem(column: str, value: str) -> str | None:
    """What is wrong with a cell's characters, if anything (the schema checks its content)."""
    if value != value.strip() and column not in AS_RECORDED:
        return "leading or trailing whitespace"
    if value in SPREADSHEET_ERRORS:
        return "a spreadsheet error value, not data"
    if value.startswith(FORMULA_START):
        formula = formula_problem(value)
        if formula:
            return formula
    if "\u00e2\u20ac" in value or "\u00c3" in value:
        return "mojibake: UTF-8 text read as Windows-1252 (e.g. 'â€™' for '’'); retype from the document"
    if value.isprintable():  # no control, format or special space character: the common case, fast
        return None
    for char in value:
        if char == "\ufeff":
            return "a byte-order mark (BOM, U+FEFF) inside a value"
        category = unicodedata.category(char)
        if category in ("Cc", "Cf"):
            return f"invisible character U+{ord(char):04X} ({unicodedata.name(char, 'control')})"
        if category == "Zs" and char != " " and column not in VERBATIM:
            return f"{unicodedata.name(char).lower()} (U+{ord(char):04X}): type an ordinary space"
    return None


def read_csv_rows(path: Path, display: str, empty_ok: bool = False) -> tuple[list[str], list[tuple[int, dict]]]:
    """Read a curated CSV strictly; returns the header and (line number, row) pairs.

    Every value stays a string ("NA" is Namibia, not a missing value). Refused, each with its
    line and column: bytes that are not UTF-8, malformed quoting, duplicate / empty / padded
    column names, rows with too few or too many values, blank or empty rows between rows, cells
    with leading or trailing whitespace, control or invisible characters, a BOM, non-breaking
    or other special spaces (outside ``quote``), spreadsheet error values and mojibake. Accepted
    because they are harmless and well defined: a UTF-8 BOM at the start of the file, CRLF or CR
    line endings, blank lines at the end of the file. No file, no header or no rows is an error
    (no rows is accepted with ``empty_ok``: a table an archive may lack rows for).
    """
    return parse_table(table_bytes(path, display), display, empty_ok)


def table_bytes(path: Path, display: str) -> bytes:
    """The bytes of a table's file; a missing one is refused, naming it."""
    if not path.is_file():
        raise TableError([Problem(display, 0, "(file)", "", "table file is missing")])
    return path.read_bytes()


def parse_table(data: bytes, display: str, empty_ok: bool = False) -> tuple[list[str], list[tuple[int, dict]]]:
    """``read_csv_rows`` on a file's bytes (the manifest is read with the same rules)."""
    text, problems = _decode(data, display)
    if problems:
        raise TableError(problems)
    records, problems = parse_csv(text, display)
    if not records or records[0][0] != 1 or records[0][1] == [""]:
        problems.insert(0, Problem(display, 1, "(header)", "", "no header line"))
        raise TableError(problems)
    header = records[0][1]
    problems = [_named(p, header) for p in problems]
    problems += _header_problems(header, display)
    body = records[1:]
    while body and body[-1][1] == [""]:
        body.pop()  # blank lines at the end of the file
    if not body and not problems and not empty_ok:
        problems.append(Problem(display, 2, "(row)", "", "no rows: the table has a header and no data"))
    rows = []
    for line, values in body:
        shaped, row_problems = _row_problems(header, line, values, display)
        problems += row_problems
        if shaped:
            rows.append((line, dict(zip(header, values, strict=True))))
    if problems:
        raise TableError(sorted(problems, key=lambda p: p.line))
    return header, rows


def _header_problems(header: list[str], display: str) -> list[Problem]:
    """The problems of a header line: empty, padded, unreadable or duplicate names, or one column that looks like another separator."""
    problems = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        column = name or f"#{i + 1}"
        if not name:
            problems.append(Problem(display, 1, column, name, "empty column name (a trailing comma in the header?)"))
        elif name != name.strip() or _cell_problem(name, name):
            problems.append(
                Problem(display, 1, column, name, f"column name: {_cell_problem(name, name) or 'leading or trailing whitespace'}")
            )
        elif name in seen:
            problems.append(Problem(display, 1, column, name, f"duplicate column name (columns {seen[name] + 1} and {i + 1})"))
        seen.setdefault(name, i)
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        problems.append(
            Problem(
                display, 1, header[0], header[0], "one column only: the tables are comma-separated, this looks semicolon- or tab-separated"
            )
        )
    return problems


def _row_problems(header: list[str], line: int, values: list[str], display: str) -> tuple[bool, list[Problem]]:
    """Whether a row has the header's shape (one value per column, not blank: else it is not kept), and its problems."""
    if values == [""] or not any(values):
        return False, [Problem(display, line, "(row)", ",".join(values), "blank line or empty row between rows")]
    if len(values) != len(header):
        column = header[len(values)] if len(values) < len(header) else f"#{len(header) + 1}"
        shown = ",".join(values[len(header) :]) if len(values) > len(header) else ",".join(values)
        return False, [Problem(display, line, column, shown, f"{len(values)} values for {len(header)} columns")]
    problems = []
    for name, value in zip(header, values, strict=True):
        message = _cell_problem(name, value)
        if message:
            problems.append(Problem(display, line, name, value, message))
    return True, problems


def csv_text(header: list[str], rows, display: str, first_line: int = 2, header_line: bool = True) -> str:
    """CSV text of ``rows`` (dicts; missing keys empty) as the repository writes it.

    Comma-separated, RFC 4180 quoting, LF line ends. Raises TableError (file, line, column, value) for a
    cell a spreadsheet would evaluate, a line break, a control character or padding, so no such file is
    ever written.
    """
    buffer, problems = io.StringIO(), []
    writer = csv.DictWriter(buffer, header, extrasaction="ignore", lineterminator="\n")
    if header_line:
        writer.writeheader()
    for line, row in enumerate(rows, start=first_line):
        cells = {name: "" if row.get(name) is None else str(row.get(name)) for name in header}
        for name, value in cells.items():
            message = formula_problem(value) or _cell_problem(name, value)
            if message:
                problems.append(Problem(display, line, name, value, message))
        writer.writerow(cells)
    if problems:
        raise TableError(problems)
    return buffer.getvalue()
