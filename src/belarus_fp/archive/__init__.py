"""The archive layer: a clone's documents, manifest, curated and reference tables and map data.

Reading, validating, looking up and citing them. Imports nothing above it (only ``paths``, ``errors`` and itself).

:class:`Archive` stands for one archive; every function here that reads it takes ``archive=``.
"""

from .folders import Archive

__all__ = ["Archive"]
