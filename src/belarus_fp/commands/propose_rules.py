"""The proposer's rules: candidate rows of a document's paragraphs, for a curator to check.

Deliberately plain rules, measured by :func:`belarus_fp.commands.propose_scores.evaluate`:

- facts: every number (digits, number words, ordinals, money, percentages, dates, periods) with
  its unit, the qualifier of the words just before it ("over", "around", "up to") and a claim
  from the sentence's cue words (:data:`CLAIM_CUES`);
- bilateral: every country the mention finder names, one row per relation whose cue words
  (:data:`RELATION_CUES`) occur in the sentence, else ``mentioned``;
- multilateral: every organisation named, likewise with :data:`ENGAGEMENT_CUES`;
- sections: a block starts at a heading-like paragraph (short, no closing full stop).

Reads the archive; writes nothing (``commands.propose`` writes the proposals).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from functools import cache
from pathlib import Path

from .. import paths
from ..archive import countries, finder, sources
from ..archive.folders import Archive
from ..archive.keys import AGREEMENT_RELATIONS
from ..archive.numbers import MONTHS, NO_VALUE_UNITS, NUMBER_WORDS, read_number, years_in

TABLES = ("facts", "bilateral", "multilateral", "sections")

_MONTH = "(?:" + "|".join(month.capitalize() for month in MONTHS) + ")"
_YEARS = r"(?:19|20)\d\d"
_WORD_NUMBER = (
    r"(?:(?:twenty|thirty|forty|fifty)-(?:one|two|three|four|five|six|seven|eight|nine)|"
    + "|".join(sorted((w for w in NUMBER_WORDS if w not in {"half", "once", "twice", "dozen", "hundred"}), key=len, reverse=True))
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
    """(name, matched words, lowercased) of every cue of ``table`` found in ``text``, case-insensitive.

    The cues are written in lowercase; searching the lowercased text is faster than ``re.IGNORECASE``.
    """
    found, text = [], text.lower()
    for name, pattern in table.items():
        match = _compiled(pattern).search(text)
        if match:
            found.append((name, match.group(0)))
    return found


@cache
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
    months = [MONTHS[w.lower()] for w in re.findall(_MONTH, value_text)]
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
        assert match.lastgroup is not None  # every alternative of _NUMBERS is a named group
        unit = NUMBER_PATTERNS[int(match.lastgroup[1:])][0]
        text = match.group(0)
        value_text = _value_text(unit, text)
        value = None if unit in NO_VALUE_UNITS else read_number(value_text)
        out.append(
            {
                "value_text": value_text,
                "value": value,
                "unit": unit,
                "start": match.start(),
                "qualifier": _qualifier(sentence[: match.start()]),
                "date": _iso(value_text, unit) if unit in NO_VALUE_UNITS else "",
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
    archive = Archive.from_data_dir(data_dir)
    info = sources.document_info(doc_id, archive)
    paras = sources.paragraphs(doc_id, archive)
    if not paras:
        raise ProposeError(f"{doc_id}: the document has no paragraphs once debris is dropped: nothing to propose")
    return propose_text(paras, doc_id, info["id_prefix"], reporting_years(info), archive=archive)


def reporting_years(info: dict) -> set[int]:
    """The years of a document's ``period_covered`` (its manifest row ``info``)."""
    return years_in(info.get("period_covered", ""))


#: Joins paragraphs for one pass of the mention finder; not whitespace, so no name can span two paragraphs.
_JOIN = "\n|\n"


def _mentions_by_paragraph(paras: list[str], archive: Archive | None = None) -> list[list[tuple]]:
    """(kind, code, text, start within the paragraph) of every mention, per paragraph: one pass of ``archive``'s finder."""
    found = finder.find_mentions(_JOIN.join(paras), archive=archive)
    starts, pos = [], 0
    for para in paras:
        starts.append(pos)
        pos += len(para) + len(_JOIN)
    out: list[list[tuple]] = [[] for _ in paras]
    for kind, code, text, start in zip(found["kind"], finder.ids(found), found["text"], found["start"], strict=True):
        number = bisect.bisect_right(starts, start) - 1
        out[number].append((kind, code, text, start - starts[number]))
    return out


def propose_text(paras: list[str], doc_id: str, prefix: str, years=(), archive: Archive | None = None) -> dict:
    """The proposals for a list of normalised paragraphs (what :func:`propose` reads from a document).

    The mentions are those of ``archive``'s finder (its name tables and organisations; default: the clone's).
    """
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    found = _mentions_by_paragraph(paras, archive)
    for number, para in enumerate(paras, start=1):
        sents = sentences(para)
        ends = [off + len(text) for off, text in sents]
        by_sentence: dict[int, list] = {}
        for mention in found[number - 1]:
            k = bisect.bisect_right(ends, mention[3])
            if k < len(sents) and sents[k][0] <= mention[3]:
                by_sentence.setdefault(k, []).append(mention)
        for k, (_offset, sentence) in enumerate(sents):
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
                        "period": "" if num["unit"] in NO_VALUE_UNITS else year,
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
                            if (name in AGREEMENT_RELATIONS and claim == "achieved")
                            else ""
                        )
                        rows["bilateral"].append({**base, "iso3": code, "name_in_text": text, "relation": name, "stage": stage})
                    else:
                        rows["multilateral"].append({**base, "org_id": code, "engagement": name})
    rows["sections"] = propose_sections(paras, doc_id, prefix, found, archive=archive)
    return rows


def _heading(para: str) -> bool:
    return len(para.split()) <= 10 and not para.endswith((".", ":", ";", ","))


def propose_sections(paras: list[str], doc_id: str, prefix: str, found=None, archive: Archive | None = None) -> list[dict]:
    """Blocks of paragraphs that tile the document; a block starts at a heading-like paragraph.

    Its vector is the region most of its country mentions belong to (at least 3), else general; mentions and
    regions are ``archive``'s (default: the clone's).
    """
    found = found if found is not None else _mentions_by_paragraph(paras, archive)
    vectors: dict[str, str] = {}  # per call, so an edited historical_states.csv is read again on the next

    def vector_of(code: str) -> str:
        if code not in vectors:
            vectors[code] = countries.vector(code, archive)
        return vectors[code]

    starts = [0] + [i for i, p in enumerate(paras) if i and _heading(p) and not _heading(paras[i - 1])]
    out = []
    for k, first in enumerate(starts):
        last = (starts[k + 1] if k + 1 < len(starts) else len(paras)) - 1
        regions = Counter(vector_of(m[1]) for para in found[first : last + 1] for m in para if m[0] != "organization")
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
