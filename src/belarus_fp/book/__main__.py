"""``python -m belarus_fp.book``: the entry point only; the command is :mod:`belarus_fp.commands.book`."""

import runpy

runpy.run_module("belarus_fp.commands.book", run_name="__main__", alter_sys=True)
