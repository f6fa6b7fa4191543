"""Shared fixtures: a throwaway copy of the data folder that a test may corrupt."""

import shutil

import pytest

from belarus_fp import paths


@pytest.fixture
def data_copy(tmp_path):
    """A copy of data/ (raw, curated, external) under tmp_path; returns its path."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target)
    return target
