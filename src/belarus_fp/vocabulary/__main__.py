"""``python -m belarus_fp.vocabulary``: the entry point only; the command is :mod:`belarus_fp.commands.vocabulary`."""

import runpy

runpy.run_module("belarus_fp.commands.vocabulary", run_name="__main__", alter_sys=True)
