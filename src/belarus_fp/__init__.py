"""belarus_fp: curated, citable data on the foreign policy of the Republic of Belarus.

    from belarus_fp import load_table, cite
    facts = load_table("facts")           # validated DataFrame, every row with its quote
    print(cite("r13-russia-trade-turnover"))
    print(cite("EAEU", table="organizations"))   # any row of any table, by its key

The data live in a clone of the repository; a non-editable install finds it through
``BELARUS_FP_ROOT`` or ``data_dir=`` (see :mod:`belarus_fp.paths`).
Heavy libraries (pandas, pandera, geopandas, matplotlib) are imported by the functions that
use them, so ``import belarus_fp`` stays fast.
"""

from .citations import Citation, cite
from .paths import RepositoryNotFound
from .tables import TableError, load_all, load_table

__version__ = "0.1.0"
__all__ = ["load_table", "load_all", "cite", "Citation", "TableError", "RepositoryNotFound"]
