"""The notebooks' prose: every number a reader sees in a markdown cell is one the notebook computes, and
the words for a relation that carry analytical weight are the text's own or say where they come from.

A number in a markdown cell must appear in the same notebook's outputs (text, tables, rendered Markdown),
unless a rule below exempts it. Conclusions that state numbers are therefore rendered from computed values
(``display(Markdown(f"..."))``), so they cannot go stale when the data change. Exempt:

- code spans and link targets (identifiers, file names, ``figures/01-...``);
- the numbering of a heading (``## 3 · ...``) and a notebook's number ("notebook 04", "notebooks 01–03");
- the names of standards and scales listed in ``NAMES`` ("ISO 3166", "1:110m", "ETRS89");
- a year (1900-2099) that occurs in one of the two documents;
- a number inside a quotation that occurs verbatim in one of the documents.
"""

import re

import nbformat
import pytest

from belarus_fp.analysis import framing
from belarus_fp.archive import sources
from belarus_fp.commands import build

NOTEBOOKS = build.notebooks()
NAMES = ("ISO 3166", "1:110m", "ETRS89", "ISO3", "ISO2", "SSD", "UN Security Council Resolution 1540 (2004)")
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
QUOTED = re.compile(r"\"([^\"\n]+)\"|“([^”]+)”")
NOTEBOOK_NUMBER = re.compile(r"\bnotebooks? \d\d(?:\s*[–-]\s*\d\d)?", flags=re.IGNORECASE)
HEADING_NUMBER = re.compile(r"^(#+\s*)\d+\s*·", flags=re.MULTILINE)


def _norm(number: str) -> str:
    return number.replace(",", "")


def _cells(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    prose = [c.source for c in nb.cells if c.cell_type == "markdown"]
    outputs, rendered = [], []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if "text" in out:
                outputs.append(out["text"])
            for mime in ("text/plain", "text/markdown", "text/html"):
                if mime in out.get("data", {}):
                    outputs.append(out["data"][mime])
                    if mime == "text/markdown":
                        rendered.append(out["data"][mime])
    return prose, outputs, rendered


def _in_documents(text: str) -> bool:
    return any(sources.contains(text, d) for d in sources.doc_ids())


def unexplained_numbers(markdown: str, outputs: str) -> list[str]:
    """The numbers of a markdown text that neither the outputs show nor a rule of this module exempts."""
    text = re.sub(r"`[^`]*`", " ", markdown)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = HEADING_NUMBER.sub(r"\1", text)
    text = NOTEBOOK_NUMBER.sub("notebook", text)
    for name in NAMES:
        text = text.replace(name, " ")
    for match in QUOTED.finditer(text):
        quote = match.group(1) or match.group(2)
        if NUMBER.search(quote) and _in_documents(quote):
            text = text.replace(match.group(0), " ")
    shown = {_norm(n) for n in NUMBER.findall(outputs)}
    missing = []
    for number in NUMBER.findall(text):
        if _norm(number) in shown:
            continue
        if re.fullmatch(r"(19|20)\d\d", number) and _in_documents(number):
            continue
        missing.append(number)
    return missing


def test_the_rule_catches_a_stale_number_and_exempts_what_it_says():
    outputs = "Implied total (derived): 80.2 USD bn; 1,630 agreements"
    assert unexplained_numbers("The total is 80.2 and the basis 1630.", outputs) == []
    assert unexplained_numbers("The total is 80.3.", outputs) == ["80.3"]
    assert unexplained_numbers("## 3 · Figures in `figures/01-x.png`, ISO 3166, in 2013", outputs) == []
    assert unexplained_numbers("as notebook 04 and notebooks 01–03 show", outputs) == []
    assert unexplained_numbers("in 2031", outputs) == ["2031"]  # a year the documents do not contain
    assert unexplained_numbers('the review says "our turnover amounted to $39.7 billion in 2013"', outputs) == []
    assert unexplained_numbers('a made-up "quote of 41 items"', outputs) == ["41"]


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_number_in_the_prose_is_computed_by_the_notebook(nb_path):
    prose, outputs, _ = _cells(nb_path)
    shown = "\n".join(outputs)
    stale = {i: unexplained_numbers(md, shown) for i, md in enumerate(prose)}
    stale = {i: found for i, found in stale.items() if found}
    assert not stale, f"{nb_path.name}: numbers in markdown cells (by markdown-cell index) that no output shows: {stale}"


#: Words for a relation that carry analytical weight -> a pattern for their unquoted use.
RELATION_WORDS = {
    "member": re.compile(r"\b(?:full |associate )?member\b(?! stat)(?!s? of the (?:UN|CIS|EU|NAM|CSTO)\b.*states)", re.I),
    "strategic partner": re.compile(r"\bstrategic partner(?:s|ship)?\b", re.I),
}
#: A sentence that uses one of them unquoted must say where the word comes from.
SAYS_WHERE = ("stated", "implied", "reference", "the text", "text's", "review's words", "`", "defined")


def _sentences(text: str):
    return re.split(r"(?<=[.!?])\s+(?=[A-Z*(\-])", re.sub(r"\s+", " ", text))


#: Framing terms are the texts' own words by construction (a test proves each row's words are in its
#: quote), so their labels count as quoted.
FRAMING_LABELS = sorted(framing.TERM_LABELS.values(), key=len, reverse=True)


def unqualified_relation_words(text: str) -> list[str]:
    """Sentences that use a relation word outside quotation marks without saying whose word it is."""
    bad = []
    for sentence in _sentences(text):
        bare = QUOTED.sub(" ", sentence)
        for label in FRAMING_LABELS:
            bare = bare.replace(label, " ")
        for word, pattern in RELATION_WORDS.items():
            if pattern.search(bare) and not any(q in sentence for q in SAYS_WHERE):
                bad.append(f"{word}: {sentence.strip()[:140]}")
    return bad


def test_the_relation_word_rule():
    assert unqualified_relation_words("Belarus is a full member of the GGE.") != []
    assert unqualified_relation_words("Then the strategic partners China and Cuba.") != []
    assert unqualified_relation_words('The text calls China a "comprehensive strategic partnership".') == []
    assert unqualified_relation_words("CSTO: member (implied by the text, not stated).") == []
    assert unqualified_relation_words("173 / 193 UN member states.") == []
    assert unqualified_relation_words("China: comprehensive strategic partnership; traditional partner.") == []


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_relation_words_are_the_texts_or_say_where_they_come_from(nb_path):
    prose, _, rendered = _cells(nb_path)
    bad = [b for text in prose + rendered for b in unqualified_relation_words(text)]
    assert not bad, f"{nb_path.name}: {bad}"
