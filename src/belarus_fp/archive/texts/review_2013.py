"""The ministry's annual review of 2013: its id, its year, and what only the analyses of this text know.

The notebooks about this one text (trade figures, the diplomatic footprint, the treaty base, the UN
share) name it through :data:`DOC_ID`; the curated facts they read by id, the year their labels and
titles give ("in 2013", "planned for 2014") and the legend wording that names the review are here, so a
new document takes none of them by accident, and a figure's year is written once (:data:`YEAR`, the
manifest's ``year`` of the document: ``tests/test_registry.py`` checks that they agree).
"""

from __future__ import annotations

#: The review's ``doc_id`` in the manifest and in every curated table.
DOC_ID = "review-2013"
#: The calendar year the review reports on; every "in 2013" of a label or title is this constant.
YEAR = 2013
#: The year its plans are for: the review announces embassies "planned for 2014", the year after its own.
PLANS_FOR = YEAR + 1
#: How labels and titles name it beside other texts ("the 2013 review's activity").
NAME = f"{YEAR} review"

#: The review's treaty-base facts (notebook 03's figure, the consistency checks): role -> fact_id.
TREATY_FACTS = {
    "concluded": "r13-agreements-concluded",
    "bilateral_concluded": "r13-bilateral-agreements-concluded",
    "multilateral_concluded": "r13-multilateral-agreements-concluded",
    "bilateral_stock": "r13-bilateral-agreements-stock",
    "multilateral_stock": "r13-multilateral-agreements-stock",
    "partner_countries": "r13-bilateral-treaty-partner-countries",
    "asia_signed": "r13-asia-agreements-signed",
}
#: The review's two statements about its diplomatic relations: how many countries, and what share of the UN.
UN_SHARE_FACTS = {"count": "r13-diplomatic-relations-countries", "percent": "r13-diplomatic-relations-share-of-un-membership"}
#: The count of intergovernmental commission meetings with European countries (review paragraph 46), which a
#: consistency check compares with the countries the same sentence lists.
COMMISSION_MEETINGS_EUROPE = "r13-europe-intergovernmental-commission-meetings"

#: Embassy and diplomatic-relations relations -> the status the embassy map shows, in the review's years.
EMBASSY_STATUS = {
    "embassy_opened": f"Embassy opened in {YEAR}",
    "embassy_planned": f"Embassy planned for {PLANS_FOR}",
    "embassy_considered": "Embassy under consideration",
    "diplomatic_relations_established": f"Diplomatic relations established in {YEAR}",
}
