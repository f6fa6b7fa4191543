"""belarus_fp: curated, citable data on the foreign policy of the Republic of Belarus.

    from belarus_fp import load_table, cite, save_figure
    facts = load_table("facts")           # validated DataFrame, every row with its quote
    print(cite("r13-russia-trade-turnover"))
    print(cite("EAEU", table="organizations"))   # any row of any table, by its key

The data live in a clone of the repository; a non-editable install finds it through
``BELARUS_FP_ROOT`` or ``data_dir=`` (see :mod:`belarus_fp.paths`).
Heavy libraries (pandas, pandera, geopandas, matplotlib) are imported by the functions that
use them, so ``import belarus_fp`` stays fast.
"""

from .archive.citations import Citation, cite
from .archive.tables import load_all, load_table
from .errors import TableError
from .paths import RepositoryNotFound

__version__ = "0.1.0"
__all__ = ["load_table", "load_all", "cite", "Citation", "save_figure", "TableError", "RepositoryNotFound"]


def __getattr__(name: str):
    """``save_figure`` on first use (matplotlib is imported then, not by ``import belarus_fp``)."""
    if name == "save_figure":
        from .viz.figures import save_figure

        return save_figure
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
