"""Figures: the house style and ``save_figure`` (``figures``), maps (``geo``) and the notebooks' figure builders.
Imports the analyses and the archive, never the commands."""
