"""``python -m belarus_fp.propose``: the entry point only; the command is :mod:`belarus_fp.commands.propose`."""

import runpy

runpy.run_module("belarus_fp.commands.propose", run_name="__main__", alter_sys=True)
