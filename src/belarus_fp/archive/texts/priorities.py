"""The ministry's priorities page: its id, its approximate date, and its two partner lists.

The page is undated; its latest events are of 2016, so labels call it "(c. 2016)" through :data:`DATED`
(:data:`YEAR` is the manifest's ``year`` of the document: ``tests/test_registry.py`` checks that they
agree). Its "foreign policy arc" passage names traditional partners and prospective markets in two
lists, which notebooks 01 and 02 set against the 2013 review's activity: the relations that record the
lists and the arc map's categories are here, so no general module assumes them of another text.
"""

from __future__ import annotations

from . import review_2013

#: The page's ``doc_id`` in the manifest and in every curated table.
DOC_ID = "priorities"
#: The year its latest events are of (sanctions lifted in February, the Belarus-EU Coordination Group in April).
YEAR = 2016
#: How labels and titles date it: approximately, since the page itself gives no date.
DATED = f"c. {YEAR}"

#: The page's two partner lists (its "foreign policy arc" passage), as the ``bilateral.relation`` of their rows.
PARTNER_LISTS = ("traditional_partner", "prospective_partner")

#: The arc map's categories: (list, active in the review's year?) -> legend label, in legend order. "Activity" is a
#: relation of ``belarus_fp.analysis.footprint.ACTIVE_TIERS`` the review reports done or states (integration to
#: practical cooperation); plans, consular cases, instability and other mentions are not activity.
ARC_CATEGORIES = {
    ("traditional", True): f"Traditional partner, active in {review_2013.YEAR}",
    ("traditional", False): f"Traditional partner, no {review_2013.YEAR} activity (at most plans, consular cases, a mention)",
    ("prospective", True): f"Prospective market, active in {review_2013.YEAR}",
    ("prospective", False): f"Prospective market, no {review_2013.YEAR} activity (at most plans, consular cases, a mention)",
    ("", True): f"On neither list, active in {review_2013.YEAR}",
}
