"""The analyses, one module per topic: tables of the archive in, frames out. Imports the archive layer only."""
