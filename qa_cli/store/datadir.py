"""Where the records live: ``--data``/``QA_DATA``, else ``data/`` at the root of the repository."""

from __future__ import annotations

from pathlib import Path


class DataDirError(Exception):
    """The data directory cannot be found; the message is German and says what to do."""


def resolve_data_dir(explicit: Path | None, cwd: Path) -> Path:
    if explicit is not None:
        if not explicit.is_dir():
            raise DataDirError(f"Das Datenverzeichnis „{explicit}“ gibt es nicht.")
        return explicit
    for folder in (cwd, *cwd.parents):
        if (folder / ".git").exists():
            data = folder / "data"
            if data.is_dir():
                return data
            raise DataDirError(
                f"Im Repository {folder} gibt es kein Verzeichnis data/. "
                "Mit --data VERZEICHNIS oder QA_DATA angeben, wo die Datensätze liegen."
            )
    if (cwd / "data").is_dir():
        return cwd / "data"
    raise DataDirError(
        "Kein Datenverzeichnis gefunden: weder in einem Git-Repository noch ./data. "
        "Mit --data VERZEICHNIS oder QA_DATA angeben, wo die Datensätze liegen."
    )
