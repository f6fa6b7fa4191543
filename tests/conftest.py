"""Shared fixtures: a throwaway copy of the data folder that a test may corrupt.

Speed (issue #14, a fast tier for quick edits): jsonschema, imported by nbformat, loads the optional
``rfc3987_syntax`` package, which builds an Earley parser at import (1.2 s idle, up to 9 s on a loaded
machine). It serves only jsonschema's "iri" format checks; nbformat passes no format checker and no
schema here uses "iri", so the tests' process leaves it out. Subprocesses and kernels are unaffected.
"""

import shutil
import sys

import pytest

sys.modules.setdefault("rfc3987_syntax", None)  # a None entry makes `import rfc3987_syntax` raise ImportError

from belarus_fp import paths  # noqa: E402


@pytest.fixture
def data_copy(tmp_path):
    """A copy of data/raw, data/curated and data/external/ungd-belarus (what the loader reads: the speakers
    table is checked against the corpus's metadata.csv) under tmp_path/data; returns its path.

    Only those folders: the map shapes and name tables are not corrupted by any test, and copying
    them for each of the many bad-input tests was a fifth of the fast tier's time on those tests.
    """
    target = tmp_path / "data"
    for folder in ("raw", "curated", "external/ungd-belarus"):
        shutil.copytree(paths.DATA / folder, target / folder)
    return target
