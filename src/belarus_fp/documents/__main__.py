"""``python -m belarus_fp.documents``: the entry point only; the command is :mod:`belarus_fp.commands.documents`."""

import runpy

runpy.run_module("belarus_fp.commands.documents", run_name="__main__", alter_sys=True)
