"""Cite any row of any curated table, and export the documents as BibTeX references.

A citation gives the row's document, address, paragraph and quote; the BibTeX entries are generated from the manifest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..errors import did_you_mean
from . import countries, sources, tables, vocabulary
from .folders import Archive
from .vocabulary import QUALIFIER_WORDS


@dataclass(frozen=True)
class Citation:
    """One row of a curated table with everything needed to check it in the source.

    ``key`` holds the row's primary key values (datapackage.json); for a fact, the value fields
    are filled in as well. ``statement`` says what the row states in words (the vocabulary's labels,
    the countries' and organisations' names: "Russia: Ally, stated (a standing description)"); the
    codes stay in the structured fields.
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
    year: str = ""  # the document's year for a reference (published; "undated, ..." if it has none)
    key_fields: tuple = ()  # the names of ``key``'s fields, from the cited archive's catalogue

    @property
    def fact_id(self) -> str | None:
        """The fact's id (``facts`` rows only)."""
        return self.key[0] if self.table == "facts" else None

    @property
    def label(self) -> str:
        """The row's key in words: ``fact r13-...``, ``bilateral RUS union_state`` (no doc_id, no quote)."""
        if self.table == "facts":
            return f"fact {self.key[0]}"
        shown = [str(v) for name, v in zip(self.key_fields, self.key, strict=True) if name not in ("doc_id", "quote")]
        return " ".join([self.table, *shown])

    def footnote(self) -> str:
        """The reference as it pastes into a paper, in words.

        Author (the publisher), title, year, address, paragraph and the verbatim quote; the table's codes stay in the
        fields (``table``, ``key``, :attr:`label`, ``doc_id``, ``unit``, ...). A row with no quote (a speaker as the
        corpus records it) cites the document only (``paragraph`` 0).
        """
        year = f" ({self.year})" if self.year else ""
        where = f', paragraph {self.paragraph}: "{self.quote}"' if self.quote else ""
        return f'{self.publisher}, "{self.title}"{year}, {self.url}{where}'

    def __str__(self) -> str:
        return f"{self.statement}. {self.footnote()}"


def _catalogue(data_dir: Path | None):
    return Archive.of(data_dir=data_dir).catalogue()


def _key_fields(table: str, data_dir: Path | None = None) -> list[str]:
    return list(_catalogue(data_dir)[table].key)


def _usage(data_dir: Path | None = None) -> str:
    keys = "; ".join(
        f"{t.name}: {' '.join(t.key) if len(t.key) == 1 else '(' + ', '.join(t.key) + ')'}" for t in _catalogue(data_dir).tables.values()
    )
    return (
        "cite takes one row's key: a fact_id string (cite('r13-russia-trade-turnover')), or table=NAME and that "
        f"table's primary key, a string or a tuple in this order ({keys}), or a row of a table from load_table "
        "(a pandas Series)"
    )


def cite(key, table: str | None = None, data_dir: Path | None = None, archive=None) -> Citation:
    """The citation of one row of a curated table, found by its primary key.

    Args:
        key: a ``fact_id`` (the default table is ``facts``); with ``table``, that table's primary key
            as ``datapackage.json`` defines it: a string for a one-field key (``org_id``,
            ``section_id``), a tuple of the fields in order for a composite key (bilateral:
            ``(doc_id, iso3, relation, quote)``); or a row of a frame from ``load_table`` (a pandas
            Series; its table is recognised from its columns when ``table`` is not given; a frame
            indexed by its one-field key, ``facts.set_index("fact_id")``, works too).
        table: one of the tables (``tables.table_names()``: datapackage.json's resources).
        data_dir: a ``data/`` folder (default: the repository's).
        archive: an :class:`~belarus_fp.archive.Archive`, instead of ``data_dir``.

    Raises:
        TypeError: ``key`` is none of these (the message says what cite takes).
        KeyError: no row has that key (for a string key, near ids are suggested).
    """
    data_dir = None if data_dir is None else paths.data_folder(data_dir)
    import pandas as pd

    if archive is not None:  # an Archive of belarus_fp.archive, instead of data_dir
        data_dir = archive.data
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
        fields = _key_fields(table, data_dir)  # a ValueError listing the tables if it is none
        values = (key,) if isinstance(key, str) else key
        if len(values) != len(fields):
            raise TypeError(
                f"table {table!r} has the key ({', '.join(fields)}): {len(fields)} value(s), got {len(values)}. {_usage(data_dir)}"
            )
    else:
        raise TypeError(f"{_usage(data_dir)}; got {type(key).__name__} {key!r:.80}")
    frame = tables.shared_table(table, data_dir, archive=archive)  # validated and cached; only read here
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
        for position, key in enumerate(zip(*(frame[f].astype(str) for f in fields), strict=True)):
            index.setdefault(key, position)
        cached = _INDEXES[table] = (frame, list(fields), index)
    return cached[2]


def _table_of(row, data_dir: Path | None) -> str:
    columns = set(row.index)
    for table in _catalogue(data_dir).tables.values():
        fields = set(table.columns)
        indexed_by_key = len(table.key) == 1 and isinstance(row.name, str) and columns | set(table.key) == fields
        if fields == columns or indexed_by_key:
            return table.name
    raise TypeError(f"the row's columns match no table; pass table=NAME. {_usage(data_dir)}")


def _not_found(table: str, fields: list[str], values: tuple, frame, data_dir: Path | None = None) -> str:
    """No row with that key: say where the key does exist (another table), else what is spelled near it."""
    if len(fields) == 1:
        value = values[0]
        elsewhere = []
        for other in _catalogue(data_dir).names:
            other_fields = _key_fields(other, data_dir)
            if other != table and len(other_fields) == 1:
                keys = tables.load_table(other, data_dir)[other_fields[0]].astype(str)
                if (keys == value).any():
                    elsewhere.append(f"it is the {other_fields[0]} of a row of {other}: cite({value!r}, table={other!r})")
        if elsewhere:
            return f"no row of {table} with {fields[0]} {value!r}; " + "; ".join(elsewhere)
        near = did_you_mean(value, frame[fields[0]].astype(str).tolist())
        return f"no row of {table} with {fields[0]} {value!r}" + (near or f" (nothing spelled near it among its {len(frame)} rows)")
    given = ", ".join(f"{f}={v!r:.60}" for f, v in zip(fields, values, strict=True))
    return f"no row of {table} with {given}"


def _citation(table: str, key: tuple, line: int, row, data_dir: Path | None) -> Citation:
    import pandas as pd

    archive = Archive.of(data_dir=data_dir)
    info = sources.document_info(row["doc_id"], archive)
    where = sources.locate(row["quote"], row["doc_id"], archive) if row["quote"] else None  # speakers: the record, no quote
    common = dict(
        table=table,
        key=key,
        key_fields=tuple(_key_fields(table, data_dir)),
        line=line,
        doc_id=row["doc_id"],
        title=info["title"],
        publisher=info["publisher"],
        url=info["url"],
        paragraph=where.paragraph if where else 0,
        quote=sources.normalize(row["quote"]),
    )
    common["year"] = _year(info)
    if table != "facts":
        return Citation(statement=_statement(table, row, data_dir), **common)
    value = None if pd.isna(row["value"]) else float(row["value"])  # empty for dates and periods
    amount = f"{QUALIFIER_WORDS[row['qualifier']]}{row['value_text']}"
    when = row["date"] or row["period"]
    unit = "" if row["unit"] in ("count", "date", "period", "ordinal", "identifier") else f" {vocabulary.label('unit', row['unit'])}"
    statement = f"{row['metric'].replace('_', ' ')}: {amount}{unit}" + (f" ({when})" if when else "")
    return Citation(
        statement=statement,
        value=value,
        value_text=row["value_text"],
        unit=row["unit"],
        qualifier=row["qualifier"],
        period=row["period"],
        **common,
    )


#: BibTeX ``howpublished`` of each collection's documents.
HOW_PUBLISHED = {"ministry": "Web page", "ungd": "UN General Debate Corpus (Harvard Dataverse, doi:10.7910/DVN/0TJX8Y)"}


def _year(info: dict) -> str:
    """The document's year for a reference: the year it was published, else "undated" and the period it covers."""
    m = re.match(r"\d{4}", info.get("published", ""))
    return m.group(0) if m else f"undated, {info['period_covered']}" if info.get("period_covered") else "undated"


def _present(row, column: str) -> bool:
    import pandas as pd

    return column in row and pd.notna(row[column]) and str(row[column]) != ""


def _name(code: str, data_dir: Path | None) -> str:
    """A country's or an organisation's name in words (the code itself if it is neither)."""
    archive = Archive.of(data_dir=data_dir)
    if countries.is_state(code, archive):  # asked first, not by catching name's KeyError: its hint is slow to build
        return countries.name(code, archive)
    orgs = tables.shared_table("organizations", archive=archive)  # the cached frame, only read here: no copy per citation
    position = _key_index("organizations", orgs, ["org_id"]).get((code,))
    return code if position is None else str(orgs["name"].iloc[position])


def _labels(row, *columns: str) -> list[str]:
    """The vocabulary's labels of the row's non-empty cells in ``columns`` (``claim``, ``stage``), and its ``year``."""
    out = [vocabulary.label(c, row[c]) for c in columns if _present(row, c)]
    return out + ([str(row["year"])] if _present(row, "year") else [])


def _speaker(row, data_dir) -> str:
    office = f", {row['office']}" if row["office"] else ", no post recorded"
    source = "named in the statement" if row["quote"] else "as the UN General Debate Corpus records the speaker"
    return f"Speaker: {row['person']}{office} ({source})"


def _organisation(row, data_dir) -> str:
    parent = f", a body of {_name(row['parent'], data_dir)}" if _present(row, "parent") else ""
    return f"{row['name']} ({row['org_id']}), {vocabulary.label('kind', row['kind'])}{parent}"


#: table -> what a row states, in words (the vocabulary's labels and the names, never the codes); a table
#: without one states its key (:func:`_statement`). A test keeps the keys among datapackage.json's tables.
#: ``facts`` is stated by :func:`_citation` (its number, unit and period).
STATEMENTS = {
    "bilateral": lambda row, d: (
        f"{_name(row['iso3'], d)}: " + ", ".join([vocabulary.label("relation", row["relation"]), *_labels(row, "claim", "stage")])
    ),
    "groupings": lambda row, d: (
        f"{row['name_in_text']}: " + ", ".join([vocabulary.label("relation", row["relation"]), *_labels(row, "claim")])
    ),
    "multilateral": lambda row, d: (
        f"{_name(row['org_id'], d)}: " + ", ".join([vocabulary.label("engagement", row["engagement"]), *_labels(row, "claim")])
    ),
    "organizations": _organisation,
    "framing": lambda row, d: f"{_name(row['subject'], d)}: {vocabulary.label('term', row['term'])}",
    "speakers": _speaker,
    "sections": lambda row, d: (
        f"{row['title']} (paragraphs {row['first_paragraph']}-{row['last_paragraph']}, {vocabulary.label('vector', row['vector'])})"
    ),
}


def _statement(table: str, row, data_dir: Path | None) -> str:
    """What a row states, in words: :data:`STATEMENTS`' sentence, else the table and the row's key."""
    if table in STATEMENTS:
        return STATEMENTS[table](row, data_dir)
    shown = [str(row[c]) for c in _key_fields(table, data_dir) if c not in ("doc_id", "quote")]
    return " ".join([table, *shown])


_BIBTEX_SPECIAL = re.compile(r"([&%$#_{}])")
_BIBTEX_WORDS = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _bibtex_text(text: str) -> str:
    """``text`` as a BibTeX/LaTeX field value: every special character escaped, so no brace closes the field."""
    text = re.sub(r"[\\~^]", lambda m: "\0" + m.group(0), text)  # mark them first: the words below hold braces
    text = _BIBTEX_SPECIAL.sub(r"\\\1", text)
    return re.sub("\0(.)", lambda m: _BIBTEX_WORDS[m.group(1)], text)


def _bibtex_url(url: str) -> str:
    """An address as a BibTeX ``url`` field: braces, backslashes and spaces percent-encoded (the address is the same)."""
    return re.sub(r"[{}\\\s]", lambda m: f"%{ord(m.group(0)):02X}", url)


#: The dataset's BibTeX key in ``references.bib`` (its documents' keys are their doc_ids).
DATASET_KEY = "belarus-fp-data"


def dataset_bibtex(data_dir: Path | None = None) -> str:
    """The curated tables themselves as a BibTeX ``@misc`` entry, from ``datapackage.json``.

    Its title, contributors (the authors), data version (the tables' version, not the package's), licence and date.

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


#: The references a collection's authors ask for, cited once for all its documents (the corpus's README).
COLLECTION_REFERENCES = {
    "ungd": (
        "@misc{ungdc-dataverse,\n  title = {{UN General Debate Corpus (UNGDC)}},\n"
        "  author = {Jankin, Slava and Baturo, Alexander and Dasandi, Niheer},\n  howpublished = {Harvard Dataverse},\n"
        "  doi = {10.7910/DVN/0TJX8Y},\n  url = {https://doi.org/10.7910/DVN/0TJX8Y}\n}\n",
        "@article{jankin-baturo-dasandi-ungdc,\n  title = {{Words to unite nations: The complete UN General Debate Corpus, 1946-present}},\n"
        "  author = {Jankin, Slava and Baturo, Alexander and Dasandi, Niheer},\n  journal = {Journal of Peace Research},\n"
        "  note = {Forthcoming at the time of the corpus's release (the corpus's README)}\n}\n",
        "@article{baturo-dasandi-mikhaylov-2017,\n  title = {{Understanding State Preferences With Text As Data: Introducing the UN General Debate Corpus}},\n"
        "  author = {Baturo, Alexander and Dasandi, Niheer and Mikhaylov, Slava},\n  journal = {Research \\& Politics},\n  year = {2017}\n}\n",
    ),
}


def bibtex(archive: Archive | None = None) -> str:
    """The dataset (:func:`dataset_bibtex`) and its source documents as BibTeX ``@misc`` entries.

    A document's key is its doc_id; generated from ``datapackage.json`` and the manifest.

    The publisher is the (institutional) author; ``year`` only where ``published`` starts with a
    year; ``note`` keeps the manifest's own words on the date, the period covered, the copy and its
    address, so nothing is claimed that the manifest does not say. ``data/raw/references.bib`` is
    this function's output (a test keeps them equal).
    """
    archive = Archive.of(archive)
    entries = []
    for info in sources.manifest(archive):
        year = re.match(r"(\d{4})\b", info["published"])
        fields = [
            ("title", "{" + _bibtex_text(info["title"]) + "}"),
            ("author", "{" + _bibtex_text(info["publisher"]) + "}"),
            *([("year", year.group(1))] if year else []),
            ("howpublished", HOW_PUBLISHED.get(info.get("collection", ""), "Web page")),
            ("url", _bibtex_url(info["url"])),
            ("language", _bibtex_text(info.get("language", ""))),
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
    collections = dict.fromkeys(info.get("collection", "") for info in sources.manifest(archive))
    cited = [entry for c in collections for entry in COLLECTION_REFERENCES.get(c, ())]
    return "\n".join([dataset_bibtex(archive.data), *entries, *cited])
