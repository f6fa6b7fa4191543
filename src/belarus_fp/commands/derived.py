"""The derived tables (``data/derived/``), written by the build before any notebook reads them.

Written from the documents and the code: today the UN statements' mentions (:mod:`belarus_fp.analysis.mention_table`).
"""

from __future__ import annotations

import time

from .. import paths
from . import stamps as build_stamps
from .notebook_form import write_atomic

#: The build stamp of the derived tables: the inputs' digest they were last written from.
DERIVED_STAMP = "data/derived"


def write_derived(stamps: dict, force: bool = False, log=print) -> None:
    """Write the derived tables (``data/derived/``) from the documents and the code, before any notebook reads them.

    Skipped when nothing under data/ or src/ changed since they were written (unless ``force``).
    """
    from ..analysis import mention_table  # imported when needed: the build's own start stays quick

    if not force and stamps.get(DERIVED_STAMP) == build_stamps.inputs_digest():
        return
    path = paths.DATA.joinpath(*mention_table.MENTIONS_FILE)
    started = time.perf_counter()
    text = mention_table.mentions_csv()
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
        log(
            f"[build] data/{'/'.join(mention_table.MENTIONS_FILE)}: written ({text.count(chr(10)) - 1} mentions, {time.perf_counter() - started:.1f} s)"
        )
    stamps[DERIVED_STAMP] = build_stamps.inputs_digest()
    build_stamps.write_stamps(stamps)
