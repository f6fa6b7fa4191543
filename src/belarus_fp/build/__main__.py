"""``python -m belarus_fp.build``: the entry point only; the command is :mod:`belarus_fp.commands.build`."""

import runpy

runpy.run_module("belarus_fp.commands.build", run_name="__main__", alter_sys=True)
