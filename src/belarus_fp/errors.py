"""The error every reader and check reports: one :class:`Problem` per bad cell, gathered in a :class:`TableError`.

Plain Python (no pandas), so every module can raise it without import cycles.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass

#: Problems shown in full in a :class:`TableError` message; the rest are counted.
SHOWN = 20


@dataclass(frozen=True)
class Problem:
    """One bad cell: where it is and what is wrong with it (line 0: the file as a whole)."""

    file: str
    line: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        if self.line == 0:
            return f"{self.file}: {self.message}"
        value = self.value if len(self.value) <= 100 else self.value[:97] + "..."
        return f"{self.file}, line {self.line}, column {self.column!r}: {self.message} (value: {value!r})"


class TableError(ValueError):
    """A curated table failed validation; ``problems`` lists every bad cell found.

    The message shows the first ``SHOWN`` problems in full and counts the rest by column.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n  ".join(str(p) for p in problems[:SHOWN])
        rest = Counter(p.column for p in problems[SHOWN:])
        more = ""
        if rest:
            counts = ", ".join(f"{column!r}: {n}" for column, n in rest.most_common())
            more = f"\n  ... and {len(problems) - SHOWN} more (by column: {counts})"
        super().__init__(f"{len(problems)} problem(s) in the curated data:\n  {shown}{more}")


def suggestions(value, candidates, n: int = 3) -> list[str]:
    """What a mistyped id probably meant; empty when nothing is near.

    The same id in another case first, then close spellings, then ids that contain it (or that it contains).
    """
    text = str(value)
    pool = [str(c) for c in dict.fromkeys(candidates)]
    same_case = [c for c in pool if c.lower() == text.lower() and c != text]
    near = difflib.get_close_matches(text, pool, n=n, cutoff=0.6)
    if not near and len(text) >= 3:
        near = [c for c in pool if text.lower() in c.lower() or (len(c) >= 3 and c.lower() in text.lower())][:n]
    return list(dict.fromkeys(same_case + near))[:n]


def did_you_mean(value, candidates) -> str:
    """``"; did you mean 'RUS'?"`` for an error message, or ``""`` when nothing is near (never "did you mean []")."""
    near = suggestions(value, candidates)
    if not near:
        return ""
    hint = " (ids are case-sensitive)" if any(c.lower() == str(value).lower() for c in near) else ""
    return f"; did you mean {' or '.join(map(repr, near))}{hint}?"
