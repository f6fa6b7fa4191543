"""Every folder of the repository, in one place, derived from this file's location.

The package is installed editable from ``src/``, so the repository root is two levels up.
Notebooks and tests import these names instead of writing relative paths.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
RAW = DATA / "raw"
CURATED = DATA / "curated"
EXTERNAL = DATA / "external"
NOTEBOOKS = ROOT / "notebooks"
FIGURES = ROOT / "figures"
