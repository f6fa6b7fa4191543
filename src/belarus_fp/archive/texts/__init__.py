"""What is specific to one document or one collection, one module each.

General code takes documents from the manifest; the few analyses about one specific text (its
fact ids, its year in a label, its partner lists) take them from that text's module here, so a
new document never silently inherits another's specifics. The registry test
(``tests/test_registry.py``) keeps document ids, fact-id prefixes and year literals out of every
other module.
"""
