"""Cite any row of any curated table (its document, address, paragraph and quote), and export
the documents as BibTeX references generated from the manifest."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import did_you_mean
from . import sources, tables
from .vocabulary import QUALIFIER_WORDS

#: The columns that say, in a few words, what a row of each table states (besides its quote).
STATEMENT = {
    "bilateral": ("iso3", "name_in_text", "relation", "claim", "stage", "year"),
    "groupings": ("group_id", "name_in_text", "relation", "claim", "year"),
    "organizations": ("org_id", "name", "kind", "parent"),
    "multilateral": ("org_id", "engagement", "claim", "year"),
    "framing": ("subject", "name_in_text", "term"),
    "sections": ("section_id", "title", "vector", "first_paragraph", "last_paragraph"),
}


@dataclass(frozen=True)
class Citation:
    """One row of a curated table with everything needed to check it in the source.

    ``key`` holds the row's primary key values (datapackage.json); for a fact, the value fields
    are filled in as well.
    """

    table: str
    key: tuple
    line: int
    statement: str
    doc_id: str
    title: str
    publisher: str
    url: str
    paragraph: int
    quote: str
    value: float | None = None
    value_text: str = ""
    unit: str = ""
    qualifier: str = ""
    period: str = ""

    @property
    def fact_id(self) -> str | None:
        """The fact's id (``facts`` rows only)."""
        return self.key[0] if self.table == "facts" else None

    @property
    def label(self) -> str:
        """The row's key in words: ``fact r13-...``, ``bilateral RUS union_state`` (no doc_id, no quote)."""
        if self.table == "facts":
            return f"fact {self.key[0]}"
        names = _key_fields(self.table)
        shown = [str(v) for name, v in zip(names, self.key) if name not in ("doc_id", "quote")]
        return " ".join([self.table, *shown])

    def footnote(self) -> str:
        """Plain-text rendering fit for a footnote."""
        return f'{self.publisher}, "{self.title}", {self.url}, paragraph {self.paragraph}: "{self.quote}" [{self.doc_id}; {self.label}]'

    def __str__(self) -> str:
        return f"{self.statement}. {self.footnote()}"


def _key_fields(table: str, data_dir: Path | None = None) -> list[str]:
    key = tables.resource(table, data_dir)["schema"]["primaryKey"]
    return [key] if isinstance(key, str) else list(key)


def _usage(data_dir: Path | None = None) -> str:
    keys = "; ".join(
        f"{name}: {' '.join(fields) if len(fields) == 1 else '(' + ', '.join(fields) + ')'}"
        for name in tables.TABLES
        for fields in [_key_fields(name, data_dir)]
    )
    return (
        "cite takes one row's key: a fact_id string (cite('r13-russia-trade-turnover')), or table=NAME and that "
        f"table's primary key, a string or a tuple in this order ({keys}), or a row of a table from load_table "
        "(a pandas Series)"
    )


def cite(key, table: str | None = None, data_dir: Path | None = None) -> Citation:
    """The citation of one row of a curated table, found by its primary key.

    Args:
        key: a ``fact_id`` (the default table is ``facts``); with ``table``, that table's primary key
            as ``datapackage.json`` defines it: a string for a one-field key (``org_id``,
            ``section_id``), a tuple of the fields in order for a composite key (bilateral:
            ``(doc_id, iso3, relation, quote)``); or a row of a frame from ``load_table`` (a pandas
            Series; its table is recognised from its columns when ``table`` is not given; a frame
            indexed by its one-field key, ``facts.set_index("fact_id")``, works too).
        table: one of ``tables.TABLES``.
        data_dir: a ``data/`` folder (default: the repository's).

    Raises:
        TypeError: ``key`` is none of these (the message says what cite takes).
        KeyError: no row has that key (for a string key, near ids are suggested).
    """
    import pandas as pd

    if isinstance(key, pd.Series):
        table = table or _table_of(key, data_dir)
        fields = _key_fields(table, data_dir)
        missing = [f for f in fields if f not in key.index]
        if missing == fields and len(fields) == 1 and isinstance(key.name, str):
            key = pd.concat([pd.Series({fields[0]: key.name}), key])  # a row of a frame indexed by its key
            missing = []
        if missing:
            raise TypeError(f"the row has no {missing} column(s): it is not a row of {table!r}. {_usage(data_dir)}")
        values = tuple(str(key[f]) for f in fields)
    elif isinstance(key, str) or (isinstance(key, tuple) and key and all(isinstance(v, str) for v in key)):
        table = table or "facts"
        if table not in tables.TABLES:
            raise ValueError(tables._unknown_table(table))
        fields = _key_fields(table, data_dir)
        values = (key,) if isinstance(key, str) else key
        if len(values) != len(fields):
            raise TypeError(
                f"table {table!r} has the key ({', '.join(fields)}): {len(fields)} value(s), got {len(values)}. {_usage(data_dir)}"
            )
    else:
        raise TypeError(f"{_usage(data_dir)}; got {type(key).__name__} {key!r:.80}")
    frame = tables.shared_table(table, data_dir)  # validated and cached; only read here
    position = _key_index(table, frame, fields).get(tuple(values))
    if position is None:
        raise KeyError(_not_found(table, fields, values, frame, data_dir))
    return _citation(table, tuple(values), int(frame.index[position]), frame.iloc[position], data_dir)


#: table -> (the cached frame, its key -> first row position): built once per loaded version of a table,
#: so citing every row of a table costs one pass over it, not one per row.
_INDEXES: dict = {}


def _key_index(table: str, frame, fields: list[str]) -> dict:
    cached = _INDEXES.get(table)
    if cached is None or cached[0] is not frame or cached[1] != fields:
        index: dict = {}
        for position, key in enumerate(zip(*(frame[f].astype(str) for f in fields))):
            index.setdefault(key, position)
        cached = _INDEXES[table] = (frame, list(fields), index)
    return cached[2]


def _table_of(row, data_dir: Path | None) -> str:
    columns = set(row.index)
    for name in tables.TABLES:
        fields = {f["name"] for f in tables.resource(name, data_dir)["schema"]["fields"]}
        key = _key_fields(name, data_dir)
        indexed_by_key = len(key) == 1 and isinstance(row.name, str) and columns | set(key) == fields
        if fields == columns or indexed_by_key:
            return name
    raise TypeError(f"the row's columns match no table; pass table=NAME. {_usage(data_dir)}")


def _not_found(table: str, fields: list[str], values: tuple, frame, data_dir: Path | None = None) -> str:
    """No row with that key: say where the key does exist (another table), else what is spelled near it."""
    if len(fields) == 1:
        value = values[0]
        elsewhere = []
        for other in tables.TABLES:
            other_fields = _key_fields(other, data_dir)
            if other != table and len(other_fields) == 1:
                keys = tables.load_table(other, data_dir)[other_fields[0]].astype(str)
                if (keys == value).any():
                    elsewhere.append(f"it is the {other_fields[0]} of a row of {other}: cite({value!r}, table={other!r})")
        if elsewhere:
            return f"no row of {table} with {fields[0]} {value!r}; " + "; ".join(elsewhere)
        near = did_you_mean(value, frame[fields[0]].astype(str).tolist())
        return f"no row of {table} with {fields[0]} {value!r}" + (near or f" (nothing spelled near it among its {len(frame)} rows)")
    given = ", ".join(f"{f}={v!r:.60}" for f, v in zip(fields, values))
    return f"no row of {table} with {given}"


def _citation(table: str, key: tuple, line: int, row, data_dir: Path | None) -> Citation:
    import pandas as pd

    raw_dir = Path(data_dir) / "raw" if data_dir else None
    info = sources.document_info(row["doc_id"], raw_dir)
    where = sources.locate(row["quote"], row["doc_id"], raw_dir)
    common = dict(
        table=table,
        key=key,
        line=line,
        doc_id=row["doc_id"],
        title=info["title"],
        publisher=info["publisher"],
        url=info["url"],
        paragraph=where.paragraph,
        quote=sources.normalize(row["quote"]),
    )
    if table != "facts":
        parts = [str(row[c]) for c in STATEMENT[table] if pd.notna(row[c]) and str(row[c])]
        return Citation(statement=", ".join(parts), **common)
    value = None if pd.isna(row["value"]) else float(row["value"])  # empty for dates and periods
    amount = f"{QUALIFIER_WORDS[row['qualifier']]}{row['value_text']}"
    when = row["date"] or row["period"]
    statement = f"{amount} [{row['unit']}]" + (f" ({when})" if when else "")
    return Citation(
        statement=statement,
        value=value,
        value_text=row["value_text"],
        unit=row["unit"],
        qualifier=row["qualifier"],
        period=row["period"],
        **common,
    )


_BIBTEX_SPECIAL = re.compile(r"([&%$#_{}])")


def _bibtex_text(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(r"\\\1", text)


#: The dataset's BibTeX key in ``references.bib`` (its documents' keys are their doc_ids).
DATASET_KEY = "belarus-fp-data"


def dataset_bibtex(data_dir: Path | None = None) -> str:
    """The curated tables themselves as a BibTeX ``@misc`` entry, from ``datapackage.json``: its title,
    contributors (the authors), data version (the tables' version, not the package's), licence and date.

    The repository's address is not recorded anywhere yet (the clone had no remote), so the entry has
    no ``url``; ``CITATION.cff`` marks the field to fill in.
    """
    package = tables.datapackage(data_dir)
    authors = " and ".join("{" + _bibtex_text(c["title"]) + "}" for c in package.get("contributors", []))
    licences = ", ".join(x["name"] for x in package.get("licenses", []))
    fields = [
        ("title", "{" + _bibtex_text(package["title"]) + "}"),
        ("author", authors),
        ("year", package.get("created", "")[:4]),
        ("version", package.get("version", "")),
        ("howpublished", "Dataset (Frictionless data package)"),
        (
            "note",
            _bibtex_text(
                f"Data version {package.get('version', '?')} of the curated tables (data/curated/datapackage.json), "
                f"licence {licences}; the code that reads them is MIT-licensed. Cite the source documents as well."
            ),
        ),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{DATASET_KEY},\n{body}\n}}\n"


def bibtex(raw_dir: Path | None = None) -> str:
    """The dataset (:func:`dataset_bibtex`) and its source documents as BibTeX ``@misc`` entries (key =
    doc_id), generated from ``datapackage.json`` and the manifest.

    The publisher is the (institutional) author; ``year`` only where ``published`` starts with a
    year; ``note`` keeps the manifest's own words on the date, the period covered, the copy and its
    address, so nothing is claimed that the manifest does not say. ``data/raw/references.bib`` is
    this function's output (a test keeps them equal).
    """
    entries = []
    for info in sources.manifest(raw_dir):
        year = re.match(r"(\d{4})\b", info["published"])
        fields = [
            ("title", "{" + _bibtex_text(info["title"]) + "}"),
            ("author", "{" + _bibtex_text(info["publisher"]) + "}"),
            *([("year", year.group(1))] if year else []),
            ("howpublished", "Web page"),
            ("url", info["url"]),
            ("language", info.get("language", "")),
            (
                "note",
                _bibtex_text(
                    f"Published: {info['published']}. Period covered: {info['period_covered']}. "
                    + (f"{info['url_note']} " if info.get("url_note") else "")
                    + f"Copy used: data/raw/{info['file']} (sha256 {info['sha256']})."
                ),
            ),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        entries.append(f"@misc{{{info['doc_id']},\n{body}\n}}\n")
    data_dir = Path(raw_dir).parent if raw_dir is not None else None
    return "\n".join([dataset_bibtex(data_dir), *entries])
