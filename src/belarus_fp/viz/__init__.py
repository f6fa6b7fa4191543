"""Figures: the house style, maps, and one figure module per analysis topic under the same name.

The house style and ``save_figure`` are in ``figures``, maps in ``geo``; the topics are ``trade``, ``footprint``,
``multilateral``, ``emphasis``, ``framing`` (``documents`` for notebook 00 and each document's colour and
marker). Imports the analyses and the archive, never the commands.
"""
