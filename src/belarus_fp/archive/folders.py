"""One archive: a clone's ``data/`` folder, passed explicitly to every function that reads it.

An :class:`Archive` stands for the documents (``raw/`` and its manifest), the curated tables
(``curated/``), the finder's name tables (``reference/``), the map data (``external/``) and the
curators' drafts (``proposed/``) of one clone, or of a copy of one (tests, rehearsals, the corpus).
Functions of the archive, the analyses and the figures take ``archive=`` and default to
:meth:`Archive.default`, the clone's; only this module and the commands turn a folder into an archive.

Plain Python: no pandas.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .. import paths


@dataclass(frozen=True, init=False)
class Archive:
    """An archive of documents and tables, by its root folder (the folder holding ``data/``).

    ``Archive(root)`` is the archive of a clone (``root/data/...``); :meth:`from_data_dir` takes a
    ``data/`` folder itself, as the ``data_dir=`` of ``load_table``, ``load_all`` and ``cite``.
    Hashable and compared by its folders, so caches may be keyed on it (and on file contents).
    """

    root: Path
    data: Path

    def __init__(self, root: str | Path, data: str | Path | None = None) -> None:
        """The archive of the clone at ``root``; its ``data/`` folder is ``data`` if given, else ``root/data``."""
        object.__setattr__(self, "root", Path(root).resolve())
        object.__setattr__(self, "data", Path(data).resolve() if data is not None else self.root / "data")

    @classmethod
    def default(cls) -> Archive:
        """The clone's archive (``BELARUS_FP_ROOT``, else the editable install's clone).

        Found once per value of ``BELARUS_FP_ROOT`` (and working folder, for a relative one): every function given
        no archive asks for it. A clone moved or deleted while the process runs is not looked for again.
        """
        setting = os.environ.get(paths.ENV_ROOT)
        key = (setting, os.getcwd() if setting and not os.path.isabs(setting) else None)
        found = _DEFAULTS.get(key)
        if found is None:
            found = _DEFAULTS[key] = cls(paths.root())
        return found

    @classmethod
    def from_data_dir(cls, data_dir) -> Archive:
        """The archive of a ``data/`` folder (whatever its name)."""
        data = Path(data_dir).resolve()
        return cls(data.parent, data)

    @classmethod
    def of(cls, archive: Archive | None = None, data_dir=None) -> Archive:
        """``archive`` itself; else the archive of ``data_dir``; else the clone's.

        ``archive`` is an :class:`Archive`, or a ``data/`` folder (a str or Path: the folder holding
        ``raw/`` and ``curated/``); ``data_dir`` a ``data/`` folder (or an Archive, given positionally).
        """
        if archive is None:
            if isinstance(data_dir, Archive):  # load_table("facts", archive) positionally
                return data_dir
            return cls.from_data_dir(data_dir) if data_dir is not None else cls.default()
        if isinstance(archive, Archive):
            return archive
        if isinstance(archive, (str, Path)):
            return cls._of_folder(Path(archive))
        raise TypeError(f"archive= takes an Archive (Archive(root) or Archive.from_data_dir(path)), got {type(archive).__name__}")

    @classmethod
    def _of_folder(cls, folder: Path) -> Archive:
        """The archive of a ``data/`` folder (one holding ``raw/`` or ``curated/``).

        A documents folder (``raw/``, the old ``raw_dir=``) is refused with an error naming its ``data/`` folder.
        """
        if (folder / "raw").is_dir() or (folder / "curated").is_dir():
            return cls.from_data_dir(folder)
        if folder.name == "raw":
            raise ValueError(
                f"{folder}: a documents folder (raw/), not a data/ folder: pass an Archive, or its data/ folder ({folder.parent})"
            )
        raise ValueError(f"{folder}: not a data/ folder (it holds no raw/ nor curated/): pass an Archive, or the data/ folder of a clone")

    def catalogue(self):
        """The curated tables as ``curated/datapackage.json`` describes them (:mod:`belarus_fp.archive.catalogue`).

        Read and checked once per version of the file (cached on its bytes).
        """
        from .catalogue import catalogue

        return catalogue(self.curated, self._descriptor_display)

    @cached_property
    def _descriptor_display(self) -> str:
        from .catalogue import DATAPACKAGE

        return self.display(self.curated / DATAPACKAGE)

    @cached_property
    def raw(self) -> Path:
        """The documents, byte for byte, and ``manifest.csv``."""
        return self.data / "raw"

    @cached_property
    def curated(self) -> Path:
        """The curated tables and ``datapackage.json``."""
        return self.data / "curated"

    @cached_property
    def reference(self) -> Path:
        """The mention finder's name tables."""
        return self.data / "reference"

    @cached_property
    def external(self) -> Path:
        """The map data (Natural Earth countries, small-state points)."""
        return self.data / "external"

    @cached_property
    def proposed(self) -> Path:
        """Candidate rows drafted for a curator, one folder per document."""
        return self.data / "proposed"

    @cached_property
    def manifest_path(self) -> Path:
        """The registry of the documents (its rows, checked: ``sources.manifest(archive)``)."""
        return self.raw / "manifest.csv"

    def display(self, path: Path) -> str:
        """``data/curated/facts.csv`` for a file of this archive, whatever its folder; else the path."""
        try:
            return str(Path("data") / Path(path).relative_to(self.data))
        except ValueError:
            return str(path)


#: The clone's archive by the value of ``BELARUS_FP_ROOT`` it was found under (None: not set) and working folder.
_DEFAULTS: dict[tuple[str | None, str | None], Archive] = {}
