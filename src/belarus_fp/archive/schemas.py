"""Validation of the curated tables: pandera models built from ``datapackage.json``.

The checks a schema cannot express live in :mod:`~belarus_fp.archive.keys` (across tables and fields) and
:mod:`~belarus_fp.archive.proofs` (rows against their documents), the reading of numbers and dates in
:mod:`~belarus_fp.archive.numbers`.

Every check returns :class:`belarus_fp.errors.Problem` rows naming file, line, column and value.
"""

from __future__ import annotations

import json
import re

import pandas as pd

from ..errors import Problem, TableError
from .numbers import NUMBER_TEXT
from .reading import Recent

#: Table Schema field type -> the pandas dtype of its column.
PANDAS_DTYPES = {"string": str, "number": "Float64", "integer": "Int64"}


def pandera_schema(res: dict):
    """The pandera model of one table, from its Table Schema (types, required, enum, pattern, keys)."""
    import pandera.pandas as pa

    columns = {}
    for field in res["schema"]["fields"]:
        cons = field.get("constraints", {})
        checks = []
        if cons.get("required") and field["type"] == "string":
            checks.append(pa.Check.str_length(min_value=1, error="required: must not be empty"))
        if "enum" in cons:
            allowed = cons["enum"] + ([] if cons.get("required") else [""])
            shown = cons["enum"] if len(cons["enum"]) <= 8 else f"{len(cons['enum'])} values listed in datapackage.json"
            checks.append(pa.Check.isin(allowed, error=f"not in the vocabulary ({shown})"))
        if "pattern" in cons:
            pattern = f"^(?:{cons['pattern']})$" if cons.get("required") else f"^(?:{cons['pattern']})?$"
            checks.append(pa.Check.str_matches(pattern, error=f"does not match {cons['pattern']}"))
        if "minimum" in cons:
            checks.append(pa.Check.ge(cons["minimum"], error=f"below the minimum {cons['minimum']}"))
        columns[field["name"]] = pa.Column(
            # A string column is built as str by validate() itself, so pandera's element-wise check of its
            # dtype could never fail; it was two fifths of the validation time. Numbers are checked.
            None if field["type"] == "string" else PANDAS_DTYPES[field["type"]],
            checks=checks,
            nullable=not cons.get("required", False) or field["type"] == "string",
            unique=bool(cons.get("unique")),
            report_duplicates="exclude_first",
        )
    key = res["schema"].get("primaryKey")
    key = [key] if isinstance(key, str) else key
    return pa.DataFrameSchema(
        columns,
        strict=True,
        unique=key if key and len(key) > 1 else None,
        report_duplicates="exclude_first",
        name=res["name"],
    )


def validate(res: dict, header: list[str], rows: list[tuple[int, dict]], display: str) -> pd.DataFrame:
    """Type and validate one table's rows; the index of the result is the CSV line number."""
    fields = res["schema"]["fields"]
    names = [f["name"] for f in fields]
    problems = [Problem(display, 1, col, "", "required column is missing") for col in names if col not in header]
    problems += [Problem(display, 1, col, "", "column not described in datapackage.json") for col in header if col not in names]
    if problems:
        raise TableError(problems)
    frame = pd.DataFrame([row for _, row in rows], columns=names, dtype=str)
    frame.index = pd.Index([line for line, _ in rows], name="line")
    for field in fields:
        if field["type"] in ("number", "integer"):
            col = field["name"]
            written = frame[col]
            bad = (written != "") & ~written.str.fullmatch(NUMBER_TEXT[field["type"]].pattern)
            problems += [
                Problem(display, line, col, written[line], _number_message(field["type"], written[line])) for line in frame.index[bad]
            ]
            converted = pd.to_numeric(written.where(~bad & (written != ""), None), errors="coerce")
            if field.get("constraints", {}).get("required"):
                problems += [Problem(display, line, col, "", "required: must not be empty") for line in frame.index[frame[col] == ""]]
            frame[col] = converted.astype(PANDAS_DTYPES[field["type"]])
    if problems:
        raise TableError(problems)
    import pandera.errors

    schema = _SCHEMAS.get_or_build(json.dumps(res, sort_keys=True), lambda: pandera_schema(res))
    try:
        return schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        raise TableError(_pandera_problems(exc.failure_cases, frame, display, res)) from None


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows of a typed table as dicts, the values as ``frame.to_dict("records")`` gives them (a missing number None).

    About four times faster than ``to_dict``, which boxes every value on its own: the loader's proofs walk
    every row of every table it loads, and the derived table's check its ten thousand rows. For the frames
    :func:`validate` and the derived table's reader make (string, nullable and numpy columns, names unique); an
    object column's values are passed on as they are, where ``to_dict`` would turn numpy scalars into Python's.
    """
    columns = list(frame.columns)
    values = []
    for name in columns:
        column = frame[name]
        cells = column.tolist()
        if isinstance(column.dtype, pd.api.extensions.ExtensionDtype) and column.dtype.na_value is pd.NA and column.isna().any():
            cells = [None if cell is pd.NA else cell for cell in cells]
        values.append(cells)
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


#: A table's descriptor (as JSON) -> its pandera model, built once (a copy of an archive types its tables anew).
_SCHEMAS = Recent(32)


def _number_message(kind: str, text: str) -> str:
    what = "an integer (digits only)" if kind == "integer" else "a number (digits and an optional decimal point)"
    if re.fullmatch(r"-?[\d.]+[eE][-+]?\d+", text):
        return f"not {what}: scientific notation, as a spreadsheet writes it; type the number as the document states it"
    if re.fullmatch(r"-?0\d+(?:\.\d+)?", text):
        return f"not {what}: a leading zero"
    return f"not {what}"


def _pandera_problems(cases: pd.DataFrame, frame: pd.DataFrame, display: str, res: dict) -> list:
    key = res["schema"].get("primaryKey")
    key = [key] if isinstance(key, str) else key or []
    problems = {}
    for case in cases.itertuples():
        line = int(case.index) if pd.notna(case.index) else 0
        check = str(case.check)
        if check.startswith("multiple_fields_uniqueness"):  # one problem per row, not per key column
            column = "+".join(key)
            value = " | ".join(str(frame.at[line, k]) for k in key)
            message = f"duplicate of an earlier row (unique key {column})"
        else:
            column = case.column if isinstance(case.column, str) and case.column in frame else "(row)"
            value = str(frame.at[line, column]) if column in frame and line in frame.index else str(case.failure_case)
            unique = check.startswith("field_uniqueness") or check == "column_uniqueness"
            message = f"duplicate of an earlier row (unique column {column})" if unique else check
        problems[(line, column, message)] = Problem(display, line, column, value, message)
    return sorted(problems.values(), key=lambda p: (p.line, p.column))
