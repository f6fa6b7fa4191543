"""The analyses, one module per topic: tables of the archive in, frames out. Imports the archive layer only."""

from __future__ import annotations

import functools
import inspect

#: Parameter names that take a curated table (``load_table(name)``): a frame given there is that table.
TABLE_PARAMETERS = ("facts", "bilateral", "groupings", "organizations", "multilateral", "framing", "sections")


class MissingColumn(KeyError, ValueError):
    """An analysis was given a frame that lacks a column it needs; the message names the column and the table."""

    def __str__(self) -> str:  # KeyError would print the message quoted
        return str(self.args[0])


def needs_tables(func):
    """Make a missing column of a table argument an error naming the column and the table expected.

    Without it the error is a bare ``KeyError: 'metric'`` from deep inside pandas. Valid calls are unchanged.
    """
    signature = inspect.signature(func)
    names = [p for p in signature.parameters if p in TABLE_PARAMETERS]

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except KeyError as exc:
            if isinstance(exc, MissingColumn) or not exc.args:
                raise
            bound = signature.bind_partial(*args, **kwargs).arguments
            for name in names:
                frame = bound.get(name)
                columns = getattr(frame, "columns", None)
                expected = _table_columns(name, bound.get("archive")) if columns is not None else frozenset()
                key = next((k for k in _keys(exc.args[0]) if k not in columns and k in expected), None) if expected else None
                if key is not None:
                    raise MissingColumn(
                        f"{func.__module__.rsplit('.', 1)[-1]}.{func.__name__}: the frame given as {name!r} has no column {key!r}; "
                        f"it expects the {name} table, as belarus_fp.load_table({name!r}) returns it "
                        f"(columns given: {', '.join(map(str, columns)) or 'none'})"
                    ) from None
            raise

    return wrapper


def _table_columns(name: str, archive=None) -> frozenset:
    """The columns of a curated table in ``archive``'s ``datapackage.json`` (default: the clone's); empty if there is none.

    Read through the archive's catalogue, cached on the file's bytes.
    """
    from ..archive import tables

    try:
        return frozenset(field["name"] for field in tables.resource(name, archive=archive)["schema"]["fields"])
    except Exception:  # no clone, or a broken descriptor: keep the original KeyError
        return frozenset()


def _keys(key) -> list:
    """The column names a KeyError is about: ``'metric'``, or pandas' ``"['relation'] not in index"``."""
    import ast
    import re

    if not isinstance(key, str):  # an Index or a list of labels
        try:
            return [k for k in key if isinstance(k, str)]
        except TypeError:
            return []
    listed = re.fullmatch(r"(\[.*\]) not in index", key)
    if listed:
        try:
            return [k for k in ast.literal_eval(listed.group(1)) if isinstance(k, str)]
        except (ValueError, SyntaxError):
            return []
    return [key]
