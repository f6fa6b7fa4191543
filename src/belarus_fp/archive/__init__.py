"""The archive layer: a clone's documents, manifest, curated and reference tables and map data; reading,
validating, looking up and citing them. Imports nothing above it (only ``paths``, ``errors`` and itself)."""
