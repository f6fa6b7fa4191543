"""belarus_fp: curated, citable data on the foreign policy of the Republic of Belarus.

Heavy libraries (pandas, geopandas, matplotlib) are imported by the modules that use them,
so ``import belarus_fp`` stays fast.
"""

__version__ = "0.1.0"
