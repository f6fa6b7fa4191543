"""Figures: the house style and ``save_figure`` (``figures``), maps (``geo``), and one figure module per
analysis topic under the same name (``trade``, ``footprint``, ``multilateral``, ``emphasis``, ``framing``;
``documents`` for notebook 00 and each document's colour and marker). Imports the analyses and the archive,
never the commands.
"""
