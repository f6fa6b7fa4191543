"""Candidate rows for a document, for a curator to check: ``python -m belarus_fp.propose DOC_ID``.

``propose`` writes ``data/proposed/DOC_ID/{facts,bilateral,multilateral,sections}.csv``: the
curated table's columns plus ``status`` (``proposed``; the curator sets ``accepted`` or
``rejected`` and edits the guesses), ``paragraph`` and ``cue`` (the words the guess rests on).
Every row's quote is the sentence it was found in (sections: the opening words of the block).
``python -m belarus_fp.propose accept DOC_ID`` appends the accepted rows to ``data/curated/``
only after the full validation of ``belarus_fp.archive.tables``: a row with a problem is refused (the
report names it and the problem), the rest are validated again, and a table is written only
when it is valid as a whole.

How rows are guessed (deliberately plain rules, measured by :func:`evaluate`):
- facts: every number (digits, number words, ordinals, money, percentages, dates, periods) with
  its unit, the qualifier of the words just before it ("over", "around", "up to") and a claim
  from the sentence's cue words (:data:`CLAIM_CUES`);
- bilateral: every country the mention finder names, one row per relation whose cue words
  (:data:`RELATION_CUES`) occur in the sentence, else ``mentioned``;
- multilateral: every organisation named, likewise with :data:`ENGAGEMENT_CUES`;
- sections: a block starts at a heading-like paragraph (short, no closing full stop).
"""

from __future__ import annotations

import argparse
import bisect
import csv
import io
import re
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

from .. import paths
from ..analysis import coverage
from ..archive import countries, finder, reading, schemas, sources, transaction

TABLES = ("facts", "bilateral", "multilateral", "sections")
#: ``moved``: set by ``accept`` on the rows it appended, so that running it again never adds them twice.
STATUS = ("proposed", "accepted", "rejected", "moved")
EXTRA = ("paragraph", "cue")

_MONTH = "(?:" + "|".join(month.capitalize() for month in schemas.MONTHS) + ")"
_YEARS = r"(?:19|20)\d\d"
_WORD_NUMBER = (
    r"(?:(?:twenty|thirty|forty|fifty)-(?:one|two|three|four|five|six|seven|eight|nine)|"
    + "|".join(sorted((w for w in schemas.NUMBER_WORDS if w not in {"half", "once", "twice", "dozen", "hundred"}), key=len, reverse=True))
    + ")"
)
_NUM = r"\d{1,3}(?:[ \u00a0,]\d{3})+(?!\d)|\d+(?:\.\d+)?"
#: (unit, pattern) in the order tried at each place; the first (longest) match wins.
NUMBER_PATTERNS = [
    ("period", rf"{_MONTH} \d{{1,2}}[-–]\d{{1,2}}, {_YEARS}"),
    ("period", rf"(?:first|second) half of {_YEARS}"),
    ("period", rf"{_YEARS}[-–/]{_YEARS}"),
    ("date", rf"{_MONTH} \d{{1,2}}, {_YEARS}|\d{{1,2}} {_MONTH} {_YEARS}|{_MONTH} {_YEARS}|{_MONTH}(?= |,|\.)"),
    ("usd_bn", rf"\$(?:{_NUM}) billion"),
    ("usd_m", rf"\$(?:{_NUM}) million"),
    ("eur_bn", rf"(?:{_NUM}) billion euro"),
    ("eur_m", rf"(?:{_NUM}) million euro"),
    ("people_m", rf"(?:{_NUM}) million people"),
    ("percent", rf"(?:{_NUM}) ?(?:percent|per cent|%)"),
    ("years", rf"(?:{_NUM}) years"),
    ("identifier", r"(?<=Resolution )\d+"),
    ("ordinal", r"\d+(?:st|nd|rd|th)\b|\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b"),
    ("date", rf"\b{_YEARS}\b"),
    ("count", rf"{_NUM}|\b(?:{_WORD_NUMBER})\b"),
]
_NUMBERS = re.compile("|".join(f"(?P<u{i}>{p})" for i, (_, p) in enumerate(NUMBER_PATTERNS)))
# value_text: the number alone, as the curated tables write it
_VALUE_TEXT = {
    "usd_bn": r"(?<=\$)[\d., \u00a0]+(?= billion)",
    "usd_m": r"(?<=\$)[\d., \u00a0]+(?= million)",
    "eur_bn": r"^[\d., \u00a0]+(?= billion)",
    "eur_m": r"^[\d., \u00a0]+(?= million)",
    "people_m": r"^[\d., \u00a0]+(?= million)",
    "percent": r"^[\d., \u00a0]+?(?= ?(?:percent|per cent|%))",
    "years": r"^[\d., \u00a0]+(?= years)",
}

QUALIFIERS = {
    "lower_bound": ("over", "more than", "exceeded", "above", "at least"),
    "upper_bound": ("less than", "up to", "under", "below"),
    "approximate": ("around", "about", "nearly", "almost", "approximately", "some"),
}
#: Claim cue words, tried in this order; a sentence with none is ``achieved`` if it has a past
#: tense cue (a year of the reporting period or a verb in -ed), else ``stated``.
CLAIM_CUES = {
    "planned": r"\b(?:will|plans? to|planned for|(?:is|are) planned|(?:is|are) scheduled|to be held)\b",
    "considered": r"\b(?:considered|considering|consideration)\b",
    "possible": r"\bopens? (?:up )?(?:opportunit|prospect)",
    "target": r"\b(?:intends?|aims?|seeks?|stands? for|is aimed|should|strives?|priority|priorities)\b",
    "achieved": r"\b(?:was|were|held|signed|took (?:place|part)|reached|amounted|accounted|organized|opened|established|adopted|visited|paid|had|have been|saw)\b",
}
#: Relation cue words (regular expressions, case-insensitive) for bilateral rows.
RELATION_CUES = {
    "union_state": r"union (?:state|project|basis)|concerted action",
    "strategic_partnership": r"strategic",
    "traditional_partner": r"traditional",
    "prospective_partner": r"prospective|promising|new markets|far arc|developing countries|potential",
    "integration_partner": r"integration|eurasian economic|customs union|common economic space",
    "accession_roadmap": r"roadmap|road map|accession",
    "high_level_visit_out": r"visit(?:s|ed)? (?!to belarus|to minsk|of the president of (?!belarus))|(?:was|were) visited by .* of belarus|reciprocal visits|visit of the belarusian",
    "high_level_visit_in": r"to belarus|visit(?:ed)? minsk|visits to minsk|paid visits|belarus was visited|reciprocal visits|visit of the (?:president|prime minister|head|minister)",
    "intergovernmental_commission": r"commission",
    "consultations": r"consultations",
    "embassy_opened": r"embassy .*opened|opened .*embass",
    "embassy_planned": r"plans? to open|will open|opening of (?:the |an )?embass",
    "embassy_considered": r"consider.*(?:embass|mission)|(?:embass|mission).*consider",
    "diplomatic_relations_established": r"established diplomatic relations|diplomatic relations were established",
    "visa_free_agreement": r"visa[- ]free|visa regime|visa requirements",
    "visa_waiver_agreement": r"visa[- ]waiver|mutual waiver|abolition of visa|visa facilitation",
    "visa_waiver_official_passports": r"official passports|service passports|diplomatic passports",
    "readmission_agreement": r"readmission",
    "joint_production": r"joint (?:venture|production|enterprise)|assembly|production",
    "free_trade_negotiation": r"free trade",
    "cross_border_programme": r"cross-border|cross border|programme|program",
    "border_demarcation": r"demarcation|border",
    "consular_assistance": r"consular|citizens|nationals",
    "consular_assistance_provider": r"interests of belarus|represent(?:s|ed)? the interests",
    "dialogue": r"dialogue|talks|meetings?|contacts|negotiations|cooperat|relations|interaction|partners",
    "advocacy": r"advocat|support(?:ed)? (?:the|our)|position",
    "agreement_signed": r"agreements?|treaty|treaties|memorand|signed",
    "ally": r"\bally|allies|allied",
    "economic_cooperation": r"econom|industr|investment|projects?|cooperation",
    "embassy_coverage": r"accredit|area of responsibility|covers",
    "high_level_contacts": r"high[- ]level|top[- ]level|president|prime minister|heads? of (?:state|government)|minister",
    "humanitarian_cooperation": r"humanitarian|cultur|education|students|tourism",
    "instability": r"conflict|crisis|instability|war\b|difficult .*situation",
    "investment": r"invest",
    "military_technical_cooperation": r"military",
    "partner": r"partner",
    "priority_direction": r"priorit",
    "sanctions": r"sanction|restrictive measures",
    "security_cooperation": r"security|terroris|crime",
    "trade": r"trade|turnover|export|import|goods|supplies|market",
}
#: Engagement cue words for multilateral rows.
ENGAGEMENT_CUES = {
    "member": r"member",
    "observer": r"observer",
    "presidency": r"presid(?:ed|ency|ing)|chair",
    "elected_to_body": r"elected",
    "initiative": r"initiat|proposal|propos",
    "cooperation": r"cooperat|co-operat|interaction|work with",
    "accession_negotiation": r"accession",
    "hosted_event": r"in minsk|hosted|organi[sz]ed|was held|took place",
    "participation": r"participat|took part|session|conference|summit|meeting|forum",
    "dialogue": r"dialogue|consultations|talks|contacts|relations",
    "partnership": r"partnership|partner",
    "agreement": r"agreement|memorand|treaty|signed",
    "financing": r"loan|financ|credit|\$|million|billion|bank",
    "agreement_negotiation": r"negotiat",
    "contribution": r"contribut",
    "enlargement": r"enlarg|expan",
    "position": r"position|stands? for|advocat|support",
    "reporting": r"report",
    "sanctions": r"sanction|restrictive",
    "technical_assistance": r"technical assistance|assistance|project",
    "visit_received": r"visit",
}
TOPIC_CUES = {
    "trade": r"trade|turnover|export|import",
    "investment": r"invest",
    "diplomatic_network": r"embass|diplomatic|mission",
    "consular": r"visa|consular",
    "treaties": r"agreements?|treat",
    "development_finance": r"bank|loan|financ",
    "security": r"security|nuclear|weapons|terroris",
    "integration": r"eurasian|customs union|union state|cis\b|commonwealth",
    "multilateral": r"\bun\b|united nations|organi[sz]ation",
    "population": r"population|people",
    "humanitarian": r"cultur|educat|health|humanitarian",
}


class ProposeError(ValueError):
    """Proposals cannot be made or accepted; the message says why."""


sentences = sources.sentences  # where the proposer's quotes are cut (one sentence rule for the archive)


def _cues(table: dict, text: str) -> list[tuple[str, str]]:
    """(name, matched words, lowercased) of every cue of ``table`` found in ``text``, case-insensitive
    (the cues are written in lowercase; searching the lowercased text is faster than ``re.IGNORECASE``)."""
    found, text = [], text.lower()
    for name, pattern in table.items():
        match = _compiled(pattern).search(text)
        if match:
            found.append((name, match.group(0)))
    return found


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def guess_claim(sentence: str, years=()) -> str:
    """The claim a sentence makes: the first :data:`CLAIM_CUES` entry found, else ``stated``."""
    for claim, pattern in CLAIM_CUES.items():
        if re.search(pattern, sentence, re.IGNORECASE):
            return claim
    if any(str(y) in sentence for y in years):
        return "achieved"
    return "stated"


def _qualifier(before: str) -> str:
    words = before.lower().split()[-2:]
    tail = " ".join(words)
    for qualifier, cues in QUALIFIERS.items():
        if any(tail.endswith(cue) for cue in cues):
            return qualifier
    return "exact"


def _iso(value_text: str, unit: str) -> str:
    """ISO 8601 form of a date or period as written ("October 10, 2013" → 2013-10-10); "" if it has no year."""
    years = re.findall(_YEARS, value_text)
    months = [schemas.MONTHS[w.lower()] for w in re.findall(_MONTH, value_text)]
    if unit == "period":
        if len(years) == 2:
            return f"{years[0]}/{years[1]}"
        if years and months:  # "January 15-17, 2013"
            days = re.findall(r"\b(\d{1,2})\b", value_text)
            return f"{years[0]}-{months[0]:02d}-{int(days[0]):02d}/{years[0]}-{months[0]:02d}-{int(days[1]):02d}" if len(days) >= 2 else ""
        return f"{years[0]}" if years else ""
    if not years:
        return ""
    days = [d for d in re.findall(r"\b(\d{1,2})\b", value_text)]
    if months and days:
        return f"{years[0]}-{months[0]:02d}-{int(days[0]):02d}"
    return f"{years[0]}-{months[0]:02d}" if months else years[0]


def _value_text(unit: str, text: str) -> str:
    pattern = _VALUE_TEXT.get(unit)
    if pattern:
        match = re.search(pattern, text)
        if match:
            return match.group(0).strip()
    return text


def numbers(sentence: str) -> list[dict]:
    """Every number of a sentence: value_text, value, unit, qualifier, start (in the sentence)."""
    out = []
    for match in _NUMBERS.finditer(sentence):
        unit = NUMBER_PATTERNS[int(match.lastgroup[1:])][0]
        text = match.group(0)
        value_text = _value_text(unit, text)
        value = None if unit in schemas.NO_VALUE_UNITS else schemas.read_number(value_text)
        out.append(
            {
                "value_text": value_text,
                "value": value,
                "unit": unit,
                "start": match.start(),
                "qualifier": _qualifier(sentence[: match.start()]),
                "date": _iso(value_text, unit) if unit in schemas.NO_VALUE_UNITS else "",
            }
        )
    return out


def _number_text(value) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _first_year(sentence: str, skip: str = "") -> str:
    for year in re.findall(rf"\b{_YEARS}\b", sentence):
        if year != skip:
            return year
    return ""


def propose(doc_id: str, data_dir: Path | None = None) -> dict:
    """Candidate rows of every table of :data:`TABLES` for one document, as lists of dicts."""
    data_dir = paths.data_folder(data_dir)
    raw = data_dir / "raw"
    info = sources.document_info(doc_id, raw)
    paras = sources.paragraphs(doc_id, raw)
    if not paras:
        raise ProposeError(f"{doc_id}: the document has no paragraphs once debris is dropped: nothing to propose")
    return propose_text(paras, doc_id, info["id_prefix"], reporting_years(info))


def reporting_years(info: dict) -> set[int]:
    return schemas.years_in(info.get("period_covered", ""))


#: Joins paragraphs for one pass of the mention finder; not whitespace, so no name can span two paragraphs.
_JOIN = "\n|\n"


def _mentions_by_paragraph(paras: list[str]) -> list[list[tuple]]:
    """(kind, code, text, start within the paragraph) of every mention, per paragraph: one finder pass."""
    found = finder.find_mentions(_JOIN.join(paras))
    starts, pos = [], 0
    for para in paras:
        starts.append(pos)
        pos += len(para) + len(_JOIN)
    out = [[] for _ in paras]
    for kind, code, text, start in zip(found["kind"], found["code"], found["text"], found["start"]):
        number = bisect.bisect_right(starts, start) - 1
        out[number].append((kind, code, text, start - starts[number]))
    return out


def propose_text(paras: list[str], doc_id: str, prefix: str, years=()) -> dict:
    """The proposals for a list of normalised paragraphs (what :func:`propose` reads from a document)."""
    rows = {name: [] for name in TABLES}
    found = _mentions_by_paragraph(paras)
    for number, para in enumerate(paras, start=1):
        sents = sentences(para)
        ends = [off + len(text) for off, text in sents]
        by_sentence: dict[int, list] = {}
        for mention in found[number - 1]:
            k = bisect.bisect_right(ends, mention[3])
            if k < len(sents) and sents[k][0] <= mention[3]:
                by_sentence.setdefault(k, []).append(mention)
        for k, (offset, sentence) in enumerate(sents):
            claim = guess_claim(sentence, years)
            year = _first_year(sentence)
            found_numbers = numbers(sentence)
            topic = next((t for t, _ in _cues(TOPIC_CUES, sentence)), "other") if found_numbers else ""
            for i, num in enumerate(found_numbers, start=1):
                rows["facts"].append(
                    {
                        "fact_id": f"{prefix}-p{number}-s{k + 1}-n{i}",
                        "doc_id": doc_id,
                        "topic": topic,
                        "metric": f"{topic}_{num['unit']}",
                        "value": _number_text(num["value"]),
                        "value_text": num["value_text"],
                        "unit": num["unit"],
                        "qualifier": num["qualifier"],
                        "period": "" if num["unit"] in schemas.NO_VALUE_UNITS else year,
                        "date": num["date"],
                        "subject": "",
                        "claim": claim,
                        "quote": sentence,
                        "note": "",
                        "paragraph": number,
                        "cue": sentence[max(0, num["start"] - 20) : num["start"] + len(num["value_text"]) + 20].strip(),
                    }
                )
            seen, cues_of = set(), {}
            for kind, code, text, _ in by_sentence.get(k, []):
                if (kind, code) in seen:
                    continue
                seen.add((kind, code))
                if kind not in cues_of:  # once per sentence, however many names it lists
                    cues_of[kind] = _cues(RELATION_CUES if kind != "organization" else ENGAGEMENT_CUES, sentence) or [("mentioned", "")]
                for name, words in cues_of[kind]:
                    base = {
                        "doc_id": doc_id,
                        "year": year,
                        "claim": claim,
                        "quote": sentence,
                        "note": "",
                        "paragraph": number,
                        "cue": words.strip(),
                    }
                    if kind != "organization":  # a country or a historical state (its ISO 3166-3 code)
                        stage = (
                            ("in_force" if re.search(r"into force|effective", sentence) else "signed")
                            if (name in schemas.AGREEMENT_RELATIONS and claim == "achieved")
                            else ""
                        )
                        rows["bilateral"].append({**base, "iso3": code, "name_in_text": text, "relation": name, "stage": stage})
                    else:
                        rows["multilateral"].append({**base, "org_id": code, "engagement": name})
    rows["sections"] = propose_sections(paras, doc_id, prefix, found)
    return rows


@lru_cache(maxsize=None)
def _vector(iso3: str) -> str:
    return countries.vector(iso3)


def _heading(para: str) -> bool:
    return len(para.split()) <= 10 and not para.endswith((".", ":", ";", ","))


def propose_sections(paras: list[str], doc_id: str, prefix: str, found=None) -> list[dict]:
    """Blocks of paragraphs that tile the document; a block starts at a heading-like paragraph.
    Its vector is the region most of its country mentions belong to (at least 3), else general."""
    found = found if found is not None else _mentions_by_paragraph(paras)
    starts = [0] + [i for i, p in enumerate(paras) if i and _heading(p) and not _heading(paras[i - 1])]
    out = []
    for k, first in enumerate(starts):
        last = (starts[k + 1] if k + 1 < len(starts) else len(paras)) - 1
        regions = Counter(_vector(m[1]) for para in found[first : last + 1] for m in para if m[0] != "organization")
        top = regions.most_common(1)
        vector = top[0][0] if top and top[0][1] >= 3 else "general"
        heading = _heading(paras[first])
        words = []
        for para in paras[first:]:  # the opening words, which may run into the next paragraph
            words += para.split()
            if len(words) >= 12:
                break
        out.append(
            {
                "doc_id": doc_id,
                "section_id": f"{prefix}-{k + 1:02d}",
                "title": paras[first] if heading else (f"Paragraphs {first + 1}-{last + 1}" if last > first else f"Paragraph {first + 1}"),
                "title_source": "document" if heading else "curated",
                "vector": vector,
                "first_paragraph": first + 1,
                "last_paragraph": last + 1,
                "quote": " ".join(words[:12]),
                "note": "",
                "paragraph": first + 1,
                "cue": "",
            }
        )
    return out


def _header(name: str, data_dir: Path) -> list[str]:
    with open(data_dir / "curated" / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
        return next(csv.reader(fh))


def _safe_start(text: str) -> str:
    """A cell copied from the document (quote, title, cue) that a spreadsheet would not evaluate: started
    after any leading ``=``, ``+``, ``-``, ``@`` (and the spaces after them). A quote stays a verbatim
    passage of the document, only shorter; its characters are never changed."""
    while text and reading.formula_problem(text):
        text = text[1:].lstrip()
    return text


def write(doc_id: str, data_dir: Path | None = None, force: bool = False, notes: list | None = None) -> dict:
    """Write the proposals to ``data/proposed/DOC_ID/`` as one transaction; returns {table: path}.
    Refuses to overwrite a curator's work unless ``force``; writes nothing through a link."""
    data_dir = paths.data_folder(data_dir)
    rows = propose(doc_id, data_dir)
    folder = data_dir / "proposed" / doc_id
    with transaction.Transaction(data_dir, f"propose {doc_id}", validate=lambda view: _validate_proposals(view, doc_id)) as txn:
        if not force and any(txn.exists(f"proposed/{doc_id}/{name}.csv") for name in TABLES):
            raise ProposeError(f"{folder} already holds proposals (perhaps marked by a curator); pass --force to replace them")
        out = {}
        for name in TABLES:
            columns = ["status", *_header(name, data_dir), *EXTRA]
            safe = [{c: _safe_start(v) if isinstance(v, str) else v for c, v in row.items()} for row in rows[name]]
            display = f"data/proposed/{doc_id}/{name}.csv"
            text = reading.csv_text(columns, [{"status": "proposed", **row} for row in safe], display)
            txn.write_text(f"proposed/{doc_id}/{name}.csv", text, make_dirs=True)
            out[name] = folder / f"{name}.csv"
    if notes is not None:
        notes.extend(txn.notes)
    return out


def _validate_proposals(view: Path, doc_id: str) -> None:
    for name in TABLES:
        path = view / "proposed" / doc_id / f"{name}.csv"
        if path.is_file():
            reading.read_csv_rows(path, f"data/proposed/{doc_id}/{name}.csv")


def accept(doc_id: str, data_dir: Path | None = None, notes: list | None = None) -> dict:
    """Append the rows marked ``accepted`` to the curated tables, after full validation, as one transaction.

    Returns ``{"accepted": {table: n}, "refused": [(table, proposed line, problem), ...]}``.
    A row with a problem is refused and the rest validated again; the curated tables and the
    proposals' ``moved`` marks are written together, only when all the tables validate together
    (:mod:`belarus_fp.archive.transaction`: a second writer waits; an interruption leaves all or nothing).
    """
    from ..archive import tables

    data_dir = paths.data_folder(data_dir)
    folder = data_dir / "proposed" / doc_id
    with transaction.Transaction(data_dir, f"propose accept {doc_id}", validate=tables.load_all) as txn:
        if not any(txn.exists(f"proposed/{doc_id}/{name}.csv") for name in TABLES):
            if folder.exists() and not folder.is_dir():
                raise ProposeError(f"{folder} is not a folder (a file is in the way): move it away, then run propose {doc_id}")
            raise ProposeError(f"{folder}: no proposals; run python -m belarus_fp.propose {doc_id} first")
        pending, refused, proposals = {}, [], {}
        for name in TABLES:
            rel = f"proposed/{doc_id}/{name}.csv"
            if not txn.exists(rel):
                continue
            header, rows = reading.parse_table(txn.read_bytes(rel), f"data/{rel}")
            proposals[name] = (header, rows)
            for line, row in rows:
                if row.get("status") not in STATUS:
                    refused.append((name, line, f"status {row.get('status')!r} is not one of {STATUS}"))
                elif row["status"] == "accepted" and row.get("doc_id") != doc_id:
                    refused.append((name, line, f"doc_id {row.get('doc_id')!r} is not {doc_id!r}"))
                elif row["status"] == "accepted":
                    pending.setdefault(name, []).append((line, row))
        originals = {name: txn.read_bytes(f"curated/{name}.csv") for name in pending}
        while True:
            appended = {name: _append(txn, originals[name], data_dir, name, rows) for name, rows in pending.items()}
            try:
                txn.check()
                break
            except tables.TableError as exc:
                bad = _refusals(exc.problems, appended, pending)
                if bad is None:
                    raise ProposeError("the curated tables do not validate even without the proposals:\n" + str(exc)) from None
                for name, index, message in bad:
                    refused.append((name, pending[name][index][0], message))
                for name in {b[0] for b in bad}:
                    drop = {b[1] for b in bad if b[0] == name}
                    pending[name] = [r for i, r in enumerate(pending[name]) if i not in drop]
        pending = {name: rows for name, rows in pending.items() if rows}
        for name in set(originals) - set(pending):  # every row refused: the table stays as it was
            txn.discard(f"curated/{name}.csv")
        for name, moved in pending.items():  # mark what moved, so a second run does not append it again
            lines = {line for line, _ in moved}
            header, rows = proposals[name]
            marked = [{**row, "status": "moved"} if line in lines else row for line, row in rows]
            txn.write_text(f"proposed/{doc_id}/{name}.csv", reading.csv_text(header, marked, f"data/proposed/{doc_id}/{name}.csv"))
    if notes is not None:
        notes.extend(txn.notes)
    return {"accepted": {name: len(rows) for name, rows in pending.items()}, "refused": sorted(refused)}


def _append(txn, source: bytes, data_dir: Path, name: str, rows: list) -> dict:
    """Stage curated ``name`` (its bytes: ``source``) plus ``rows``; returns {CSV line of an appended row: its index}."""
    header = _header(name, data_dir)
    text = source if source.endswith(b"\n") else source + b"\n"
    line, lines, chunks = text.count(b"\n") + 1, {}, []
    for index, (_, row) in enumerate(rows):
        buffer = io.StringIO()
        csv.DictWriter(buffer, header, extrasaction="ignore", lineterminator="\n").writerow(row)
        lines[line] = index
        line += buffer.getvalue().count("\n")
        chunks.append(buffer.getvalue())
    txn.write(f"curated/{name}.csv", text + "".join(chunks).encode("utf-8"))
    return lines


def _refusals(problems, appended: dict, pending: dict):
    """(table, index in pending, message) for each problem on an appended row; None if a problem
    is on a row that was already curated (or names no row)."""
    out = []
    by_file = {str(Path("curated") / f"{name}.csv"): name for name in appended}
    for problem in problems:
        name = next((n for f, n in by_file.items() if str(problem.file).endswith(f)), None)
        if name is None or problem.line not in appended[name]:
            return None
        out.append((name, appended[name][problem.line], f"column {problem.column!r}, value {problem.value!r}: {problem.message}"))
    return out


# --------------------------------------------------------------------------------------------
# Measuring the proposer on the curated documents
# --------------------------------------------------------------------------------------------

#: Recall targets of the issue (#15): the proposer must find at least this share of the curated rows.
TARGETS = {
    "facts (value, unit)": 0.95,
    "countries (doc, iso3)": 0.98,
    "organisations (doc, org_id)": 0.90,
    "relations (doc, iso3, relation)": 0.80,
}


def _fact_key(row) -> tuple:
    value = row["value"]
    if value is None or value == "" or (isinstance(value, float) and value != value) or str(value) == "<NA>":
        return (row["doc_id"], sources.normalize(str(row["value_text"])).lower(), row["unit"])
    return (row["doc_id"], float(value), row["unit"])


def fact_matches(facts, proposed: list[dict]) -> list:
    """For each curated fact (rows of ``facts``), the index in ``proposed`` of the first proposal
    with its (value, unit) in a sentence that holds the curated quote (or lies within it), else None."""
    by_key: dict = {}
    for i, r in enumerate(proposed):
        by_key.setdefault(_fact_key({**r, "value": float(r["value"]) if r["value"] else None}), []).append(i)
    out = []
    for _, fact in facts.iterrows():
        quote = sources.normalize(fact["quote"])
        out.append(
            next((i for i in by_key.get(_fact_key(fact), []) if quote in proposed[i]["quote"] or proposed[i]["quote"] in quote), None)
        )
    return out


def evaluate(doc_ids=None, data_dir: Path | None = None):
    """Recall and precision of the proposer against the curated tables, and its claim accuracy.

    Returns a DataFrame, one row per measure: ``curated``, ``proposed``, ``both``, ``recall``,
    ``precision`` and ``target`` (recall, where the issue sets one). Facts are counted row by row
    (:func:`fact_matches`: same value and unit, same sentence); countries, organisations and
    relations as distinct keys per document. Claim accuracy: of the matched facts, the share
    given the curated claim (``both`` = correct, ``curated`` = compared).
    """
    import pandas as pd

    from ..archive import tables as tables_mod

    data_dir = Path(data_dir or paths.DATA)
    tables = {n: tables_mod.load_table(n, data_dir) for n in ("facts", "bilateral", "multilateral", "organizations")}
    doc_ids = list(doc_ids or sources.doc_ids(data_dir / "raw", collection=sources.MINISTRY))
    proposed = {doc: propose(doc, data_dir) for doc in doc_ids}

    def rows(name):
        return [r for doc in doc_ids for r in proposed[doc][name]]

    facts = tables["facts"][tables["facts"]["doc_id"].isin(doc_ids)]
    bil = tables["bilateral"][tables["bilateral"]["doc_id"].isin(doc_ids)]
    curated_orgs = {(d, o) for d in doc_ids for o in coverage.curated_codes(d, "organization", tables)}
    proposed_facts = rows("facts")
    matches = fact_matches(facts, proposed_facts)
    out = [
        {
            "measure": "facts (value, unit)",
            "curated": len(facts),
            "proposed": len(proposed_facts),
            "both": sum(m is not None for m in matches),
            "recall": sum(m is not None for m in matches) / len(facts) if len(facts) else 1.0,
            "precision": len({m for m in matches if m is not None}) / len(proposed_facts) if proposed_facts else 1.0,
            "target": TARGETS["facts (value, unit)"],
        }
    ]
    sets = {
        "countries (doc, iso3)": (set(zip(bil["doc_id"], bil["iso3"])), {(r["doc_id"], r["iso3"]) for r in rows("bilateral")}),
        "organisations (doc, org_id)": (curated_orgs, {(r["doc_id"], r["org_id"]) for r in rows("multilateral")}),
        "relations (doc, iso3, relation)": (
            set(zip(bil["doc_id"], bil["iso3"], bil["relation"])),
            {(r["doc_id"], r["iso3"], r["relation"]) for r in rows("bilateral")},
        ),
    }
    for measure, (curated, found) in sets.items():
        scores = coverage.agreement(found, curated)
        out.append(
            {
                "measure": measure,
                "curated": scores["curated"],
                "proposed": scores["found"],
                "both": scores["both"],
                "recall": scores["recall"],
                "precision": scores["precision"],
                "target": TARGETS[measure],
            }
        )
    compared = [(proposed_facts[m]["claim"], claim) for m, claim in zip(matches, facts["claim"]) if m is not None]
    correct = sum(guess == claim for guess, claim in compared)
    out.append(
        {
            "measure": "claim of facts (accuracy)",
            "curated": len(compared),
            "proposed": len(compared),
            "both": correct,
            "recall": correct / len(compared) if compared else 1.0,
            "precision": float("nan"),
            "target": float("nan"),
        }
    )
    return pd.DataFrame(out).set_index("measure")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m belarus_fp.propose", description=__doc__.split("\n")[0])
    parser.add_argument("args", nargs="+", metavar="[accept] DOC_ID", help="DOC_ID to propose rows; accept DOC_ID to move accepted rows")
    parser.add_argument("--force", action="store_true", help="replace existing proposals")
    args = parser.parse_args(argv)
    paths.require_root(exit_on_error=True)
    notes: list = []
    try:
        if len(args.args) == 2 and args.args[0] == "accept":
            result = accept(args.args[1], notes=notes)
            for name, count in result["accepted"].items():
                print(f"accepted {count} row(s) into data/curated/{name}.csv")
            if not result["accepted"] and not result["refused"]:
                print(f"no rows are marked accepted in data/proposed/{args.args[1]}/: nothing moved")
            for name, line, message in result["refused"]:
                print(f"refused data/proposed/{args.args[1]}/{name}.csv, line {line}: {message}")
            return 1 if result["refused"] else 0
        if len(args.args) != 1:
            parser.error("give DOC_ID, or accept DOC_ID")
        written = write(args.args[0], force=args.force, notes=notes)
    except (ProposeError, sources.SourceError, ValueError, transaction.TransactionError) as exc:  # TableError is a ValueError
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
    for name, path in written.items():
        with open(path, encoding="utf-8") as fh:
            count = sum(1 for _ in csv.reader(fh)) - 1
        print(f"{count} {name} row(s) proposed: {path}")
    print(f"mark rows accepted in the status column, then: python -m belarus_fp.propose accept {args.args[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
