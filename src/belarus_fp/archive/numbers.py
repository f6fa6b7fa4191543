"""How the curated tables write numbers, years and dates.

Reading a ``value_text`` ("426 140", "eight", "20th"), parsing ISO 8601 dates and spans, finding the
years a text writes, and telling whether a number is a whole token of its quote ("39" is not a number
of "$39.7 billion"). Plain Python.
"""

from __future__ import annotations

import calendar
import datetime
import re

from . import sources

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "twice": 2,
    "once": 1,
    "half": 0.5,
}
#: How a number or an integer must be written: digits, an optional sign and decimal point.
#: "1.00E+02", "1,000", "2013.0", "02013", "nan" or "inf" is refused, never converted.
NUMBER_TEXT = {"number": re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?"), "integer": re.compile(r"-?(?:0|[1-9]\d*)")}
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
NO_VALUE_UNITS = {"date", "period"}


def read_number(text: str) -> float | None:
    """The number a ``value_text`` states: "39.7", "426 140", "2,160", "20th", "eight", "$1.5"; else None."""
    cleaned = sources.normalize(text).lower().strip("$€ ")
    cleaned = re.sub(r"(?<=\d)[ ,](?=\d{3}\b)", "", cleaned)
    cleaned = re.sub(r"(?<=\d)(st|nd|rd|th)$", "", cleaned)
    cleaned = cleaned.rstrip("%").strip()
    try:
        return float(cleaned)
    except ValueError:
        pass
    parts = cleaned.split("-")  # "twenty-six"
    if all(part in NUMBER_WORDS for part in parts):
        return sum(NUMBER_WORDS[part] for part in parts)
    return None


def parse_date(text: str) -> list[tuple[int, int | None, int | None]]:
    """The (year, month, day) parts of an ISO 8601 date or span; raises ValueError saying what is wrong.

    A date is ``2013``, ``2013-05`` or ``2013-05-13``; a span is ``start/end`` of two such dates.
    """
    parts = []
    for piece in text.split("/"):
        match = _ISO_DATE.fullmatch(piece)
        if not match:
            raise ValueError("not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD, or start/end)")
        digits_year, digits_month, digits_day = match.groups()
        year, month, day = int(digits_year), int(digits_month) if digits_month else None, int(digits_day) if digits_day else None
        try:
            datetime.date(year, month or 1, day or 1)
        except ValueError as exc:
            raise ValueError(f"not a calendar date ({exc})") from None
        parts.append((year, month, day))
    if len(parts) > 2:
        raise ValueError("a span has one '/', between its start and end")
    if len(parts) == 2 and parts[1] < parts[0]:
        raise ValueError("the span ends before it starts")
    return parts


def years_in(text: str) -> set[int]:
    """The years (1800-2099) a text writes."""
    return {int(y) for y in _YEAR.findall(text)}


def whole_number_in(value_text: str, quote: str) -> bool:
    """Whether ``value_text`` occurs in ``quote`` (both normalised) as a whole number, not a piece of one.

    "39" is not a number of "$39.7 billion", "140" not of "426 140", "-2017" not of "2014-2017" (a range's
    end is no negative count), "eight" not of "eighteen".
    """
    start = quote.find(value_text)
    while start >= 0:
        before, after = quote[:start], quote[start + len(value_text) :]
        if not _glued(value_text, before, after):
            return True
        start = quote.find(value_text, start + 1)
    return False


def _glued(value_text: str, before: str, after: str) -> bool:
    """Whether the text around an occurrence makes it part of a longer number or word."""
    first, last = value_text[:1], value_text[-1:]
    if before and (before[-1].isalnum() and (first.isalnum() or first == "-")):
        return True  # "x39", "2014-2017" (a range's end), "ab-eight"
    if before[-2:-1].isdigit() and before[-1:] in (".", ","):
        return True  # "2,160" read as "160", "39.7" read as "7"
    if first.isdigit() and re.search(r"(?<![\d.,])\d{1,3} $", before) and re.fullmatch(r"\d{3}\b.*", value_text):
        return True  # "426 140" read as "140"
    if after and after[0].isalnum() and last.isalnum():
        return True  # "39" of "390", "eight" of "eighteen"
    if last.isdigit() and after[:1] in (".", ",") and after[1:2].isdigit():
        return True  # "39" of "39.7", "2" of "2,160"
    # "426" of "426 140"
    return bool(last.isdigit() and re.match(r" \d{3}(?!\d)", after) and re.fullmatch(r".*?(?<![\d.])\d{1,3}", value_text))
