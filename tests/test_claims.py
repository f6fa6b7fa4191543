"""The `claim` of the priorities page's rows: `stated` against `target`, by the rule of data/curated/README.md
("Priorities page: stated vs target"; the rows it changed and the borderline ones: notes/claims-priorities.md).

The rule reads the words that code a row: the sentence of the quote from its start to the quote's end (the word
that governs a coded phrase stands before it in these sentences; what follows the quote does not govern it).
An activity row (dialogue, cooperation, position, initiative, a number, ...) governed by a word of aim,
advocacy or priority is `target`, and a `target` row has such a word; a status or label (traditional partner,
strategic partnership, observer, ...) that the sentence presupposes stays `stated` even under a word of aim,
and is `target` only where the status itself is the aim ("to the level of"). Nothing depends on the country.
"""

import re

import pandas as pd
import pytest

from belarus_fp import paths
from belarus_fp.archive import sources
from belarus_fp.archive.tables import load_table
from belarus_fp.archive.texts import priorities

#: Words of aim, advocacy or priority: a coded activity they govern is put forward as something to bring about.
TARGET_CUES = (
    r"\baims? at\b",
    r"\bintends? to\b",
    r"\bis eager to\b",
    r"\bstands? for\b",
    r"\bpronounced itself for\b",
    r"\bis interested in\b",
    r"\blooks? forward to\b",
    r"\bis determined to\b",
    r"\bseeks?\b",
    r"\bconcentrates its efforts on\b",
    r"\bamong [\w ]*priorities\b",
    r"\bmain avenues of cooperation are\b",
    r"\bsupports (?:a|the) (?:[\w-]+ ){0,2}(?:reform|development)\b",  # a change not yet made, not an existing policy
)
#: The status itself is the aim ("to elevate the cooperation ... to the level of strategic partnership").
STATUS_AIM_CUES = (r"\bto the level of\b",)
#: Relations and engagements that name a status or a label of the partner, not an activity.
STATUS = {
    "bilateral": {
        "priority_direction",
        "union_state",
        "strategic_partnership",
        "integration_partner",
        "traditional_partner",
        "prospective_partner",
        "ally",
        "partner",
        "mentioned",
    },
    "multilateral": {"member", "observer", "implied_member", "agreement", "mentioned"},
    "facts": set(),
}
STATUS["groupings"] = STATUS["bilateral"]  # groupings take the bilateral relations
KIND = {"bilateral": "relation", "groupings": "relation", "multilateral": "engagement", "facts": None}
KEY = {
    "bilateral": ("iso3", "relation"),
    "groupings": ("group_id", "relation"),
    "multilateral": ("org_id", "engagement"),
    "facts": ("fact_id",),
}


def coded_part(quote: str, doc_id: str = priorities.DOC_ID) -> str:
    """The words that code a row: its quote's sentence, from the sentence's start to the end of the quote."""
    where = sources.locate(quote, doc_id)
    starts = [0] + [m.end() for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z«“\"])", where.text) if m.end() <= where.offset]
    return where.text[starts[-1] : where.offset + len(sources.normalize(quote))]


def cues(text: str, patterns=TARGET_CUES) -> list[str]:
    return [m.group(0) for p in patterns for m in [re.search(p, text, flags=re.IGNORECASE)] if m]


def expected_claim(table: str, row) -> str:
    """`stated` or `target` by the rule, for a priorities row whose claim is one of the two."""
    part = coded_part(row["quote"])
    if KIND[table] and row[KIND[table]] in STATUS[table]:
        return "target" if cues(part, STATUS_AIM_CUES) else "stated"
    return "target" if cues(part) else "stated"


def contradictions(table: str, frame: pd.DataFrame) -> list[tuple]:
    """(key..., claim, expected, deciding words) of every priorities row whose `stated` / `target` breaks the rule."""
    rows = frame[(frame["doc_id"] == priorities.DOC_ID) & frame["claim"].isin(["stated", "target"])]
    out = []
    for _, row in rows.iterrows():
        expected = expected_claim(table, row)
        if row["claim"] != expected:
            out.append((*(row[k] for k in KEY[table]), row["claim"], expected, cues(coded_part(row["quote"])) or "no cue"))
    return out


@pytest.fixture(scope="module")
def tables():
    return {name: load_table(name) for name in KEY}


@pytest.mark.parametrize("table", list(KEY))
def test_every_stated_or_target_row_of_the_priorities_page_follows_the_rule(tables, table):
    assert contradictions(table, tables[table]) == []


def test_the_rule_has_rows_on_both_sides_and_every_cue_is_on_the_page(tables):
    """Both claims occur in each table, and each cue but the general "seeks" occurs on the priorities page (a
    misspelt cue would not, and would then never decide a row)."""
    for table in ("bilateral", "multilateral"):
        rows = tables[table][tables[table]["doc_id"] == priorities.DOC_ID]
        assert {"stated", "target"} <= set(rows["claim"]), table
    page = " ".join(sources.paragraphs(priorities.DOC_ID))
    assert [p for p in TARGET_CUES + STATUS_AIM_CUES if not re.search(p, page, flags=re.IGNORECASE)] == [r"\bseeks?\b"]


def test_the_coded_part_stops_at_the_quote_and_starts_its_sentence():
    assert coded_part("on preventing of illegal trafficking in human organs").startswith("Among national priorities is the promotion")
    part = coded_part("Belarus supports a balanced reform of the United Nations aimed at its adapting to the new realities.")
    assert part.startswith("Belarus supports a balanced reform") and "contributes to" not in part
    assert coded_part("Belarus contributes to strengthening the central role of the United Nations in solving global problems").endswith(
        "global problems"
    )


def test_a_stated_activity_under_a_word_of_aim_is_caught(tables):
    """The check can fail: the coding before the recoding (Georgia's rows of paragraph 12 and the UN reform
    `stated`) is reported, and so is a status turned into an aim without the words for it."""
    bil, multi = tables["bilateral"].copy(), tables["multilateral"].copy()
    georgia = (bil["doc_id"] == priorities.DOC_ID) & (bil["iso3"] == "GEO")
    bil.loc[georgia, "claim"] = "stated"
    assert {(r[0], r[1], r[3]) for r in contradictions("bilateral", bil)} == {
        ("GEO", rel, "target") for rel in ("dialogue", "trade", "economic_cooperation", "humanitarian_cooperation")
    }
    reform = multi["quote"].str.startswith("Belarus supports a balanced reform")
    multi.loc[reform, "claim"] = "stated"
    assert [r[:4] for r in contradictions("multilateral", multi)] == [("UN", "position", "stated", "target")]
    bil = tables["bilateral"]
    russia = (bil["doc_id"] == priorities.DOC_ID) & (bil["relation"] == "strategic_partnership")
    assert [r[:4] for r in contradictions("bilateral", bil.assign(claim=bil["claim"].where(~russia, "target")))] == [
        ("RUS", "strategic_partnership", "target", "stated")
    ]


# --------------------------------------------------------------------------- one passage, agreeing claims

#: Where a passage whose rows carry different claims is explained: one bullet per passage, opening with a
#: verbatim fragment of its quote in curly quotes (“...”:), then the reason.
PASSAGE_NOTES = paths.CURATED / "notes" / "reading-pass-3.md"
PASSAGE_SECTION = "## One passage, different claims"
CLAIM_TABLES = ("facts", "bilateral", "groupings", "multilateral")


def passages(frames: dict) -> list[list[tuple]]:
    """Rows of ``frames`` that state one passage: the same quote, or one quote inside the other, in one document
    (joined transitively). Each row is (table, line, doc_id, normalised quote, claim)."""
    rows = [
        (table, line, r["doc_id"], sources.normalize(r["quote"]), r["claim"])
        for table in CLAIM_TABLES
        for line, r in frames[table].iterrows()
    ]
    parent = list(range(len(rows)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(rows):
        for j in range(i + 1, len(rows)):
            b = rows[j]
            if a[2] == b[2] and (a[3] in b[3] or b[3] in a[3]):
                parent[root(i)] = root(j)
    groups: dict[int, list] = {}
    for i, row in enumerate(rows):
        groups.setdefault(root(i), []).append(row)
    return list(groups.values())


def explained_fragments(text: str) -> list[str]:
    """The quote fragments that open the bullets of the notes' section on passages with different claims."""
    if PASSAGE_SECTION not in text:
        return []
    section = text.split(PASSAGE_SECTION, 1)[1].split("\n## ", 1)[0]
    return [sources.normalize(m) for m in re.findall(r"^- “(.+?)”:", section, flags=re.MULTILINE | re.DOTALL)]


def unexplained(frames: dict, fragments: list[str]) -> list[str]:
    out = []
    for group in passages(frames):
        if len({row[4] for row in group}) > 1 and not any(f in row[3] for f in fragments for row in group):
            shortest = min((row[3] for row in group), key=len)
            out.append(f"“{shortest[:80]}”: " + "; ".join(f"{t} line {line} {claim}" for t, line, _, _, claim in group))
    return out


def test_one_passage_carries_agreeing_claims_unless_a_note_says_why(tables):
    """The rows of all tables that rest on one passage carry one claim, or the notes say why they differ
    (data/curated/notes/reading-pass-3.md, section "One passage, different claims"). A fragment must be at least
    four words, so that it names one passage."""
    frames = {**tables, "groupings": load_table("groupings")}
    text = PASSAGE_NOTES.read_text(encoding="utf-8") if PASSAGE_NOTES.exists() else ""
    fragments = explained_fragments(text)
    assert all(len(f.split()) >= 4 for f in fragments), [f for f in fragments if len(f.split()) < 4]
    missing = unexplained(frames, fragments)
    assert not missing, "passages whose rows carry different claims, with no reason in the notes:\n" + "\n".join(missing)


def test_every_passage_note_names_a_passage_with_different_claims(tables):
    """No stale entry: each fragment of the section occurs in a passage whose rows carry different claims."""
    frames = {**tables, "groupings": load_table("groupings")}
    mixed = [g for g in passages(frames) if len({row[4] for row in g}) > 1]
    fragments = explained_fragments(PASSAGE_NOTES.read_text(encoding="utf-8"))
    stale = [f for f in fragments if not any(f in row[3] for g in mixed for row in g)]
    assert fragments and not stale, stale


def test_passages_join_a_quote_with_the_quotes_inside_it():
    frame = pd.DataFrame(
        {
            "doc_id": ["d", "d", "d", "e"],
            "quote": ["a b c d.", "b c", "x y", "b c"],
            "claim": ["stated", "achieved", "planned", "achieved"],
        },
        index=[2, 3, 4, 5],
    )
    empty = frame.iloc[0:0]
    groups = passages({"facts": frame, "bilateral": empty, "groupings": empty, "multilateral": empty})
    assert sorted(sorted(line for _, line, *_ in g) for g in groups) == [[2, 3], [4], [5]]
    assert unexplained({"facts": frame, "bilateral": empty, "groupings": empty, "multilateral": empty}, []) != []
    assert unexplained({"facts": frame, "bilateral": empty, "groupings": empty, "multilateral": empty}, ["a b c d."]) == []
