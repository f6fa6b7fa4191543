"""What writes into a clone: the commands, which may import every other layer.

Execute the notebooks (``build``), add a document (``documents``), propose and accept rows (``propose``),
regenerate datapackage.json's enums (``vocabulary``), write the static site (``book``). Nothing imports it
(the entry points ``python -m belarus_fp.<command>`` excepted).

``belarus-fp COMMAND ARGS`` (the console script) is the same as ``python -m belarus_fp.COMMAND ARGS``.
"""

from __future__ import annotations

import runpy
import sys

# jsonschema (imported by nbformat, which the build, the book and the notebook checks use) loads the optional
# rfc3987_syntax package for its "iri" format check, which builds a parser at import: 1.2 s of every command's
# start on an idle machine. nbformat validates with no format checker and no schema here has an "iri" format, so a
# command's process leaves it out (a None entry makes its import raise ImportError, which jsonschema expects of an
# optional package). Only a command's own process: nothing else imports this package.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

COMMANDS = ("book", "build", "documents", "propose", "vocabulary")


def main(argv: list[str] | None = None) -> None:
    """``belarus-fp COMMAND ARGS``: run ``python -m belarus_fp.COMMAND ARGS``."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] not in COMMANDS:
        raise SystemExit(f"usage: belarus-fp {{{','.join(COMMANDS)}}} [ARGS ...]")
    sys.argv = [f"belarus-fp {argv[0]}", *argv[1:]]
    runpy.run_module(f"belarus_fp.commands.{argv[0]}", run_name="__main__", alter_sys=True)
