"""Every folder of the repository, in one place, derived from this file's location.

The package is installed editable from ``src/``, so the repository root is two levels up.
Notebooks and tests import these names instead of writing relative paths.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
RAW = DATA / "raw"
CURATED = DATA / "curated"
EXTERNAL = DATA / "external"
NOTEBOOKS = ROOT / "notebooks"
#: Where ``save_figure`` writes; tests point it elsewhere with ``BELARUS_FP_FIGURES``.
FIGURES = Path(os.environ.get("BELARUS_FP_FIGURES", ROOT / "figures"))
