"""The audit dossier as one zip: its files, and a manifest with the revision and a SHA-256 of
every file.

The zip is reproducible: entries in name order, each stamped with the revision's commit date
(not the time of the run), the same permissions, the same compression. So the dossier of one
revision has the same bytes whenever and wherever it is made, and an auditor can compare two
copies by their checksum alone.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime

from qa_cli.render.json_document import json_text

MANIFEST = "manifest.json"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
UNIX = 3  # "made on Unix" in the zip header, wherever qa runs: the same bytes everywhere


@dataclass(frozen=True, slots=True)
class Dossier:
    subject: str  # "Antrag 2020-x", "Runde 2020"
    commit: str
    commit_date: datetime
    files: dict[str, bytes]  # name in the zip → content (without the manifest)


def manifest(dossier: Dossier) -> bytes:
    """What the dossier holds and of which state (with the version of qa that made it, as every
    JSON document of qa): an auditor checks each file against it."""
    document = {
        "gegenstand": dossier.subject,
        "revision": dossier.commit,
        "revision_datum": dossier.commit_date.isoformat(),
        "hinweis": "Die Datensätze sind die YAML-Dateien, wie sie in dieser Revision eingecheckt "
        "sind; jede Datei ist mit ihrer SHA-256-Prüfsumme aufgeführt.",
        "dateien": {
            name: {"sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}
            for name, content in sorted(dossier.files.items())
        },
    }
    return json_text(document).encode()


def _zip_time(when: datetime) -> tuple[int, int, int, int, int, int]:
    """The commit's wall-clock time in its own offset, as a zip entry holds it."""
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    return max(stamp, ZIP_EPOCH)


def zip_bytes(dossier: Dossier) -> bytes:
    files = {**dossier.files, MANIFEST: manifest(dossier)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_zip_time(dossier.commit_date))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = UNIX
            info.external_attr = 0o100644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()
