"""The whole validated data set as one JSON document, for scripts and other tools.

``{"meta": {...}, "daten": {<Ordner>: {<Kennung>: <Datensatz>}}}``: every kind of
``qa_cli.store.kinds`` appears (empty kinds as ``{}``), records sorted by id, each with its ``id``
and every field of its model (unset optional fields as ``null``, defaults filled in), so a reader
never has to know the defaults. Dates are ``JJJJ-MM-TT`` text; months stay as the records write
them. No timestamp: the same data give the same file.
"""

from __future__ import annotations

from typing import Any

from qa_cli.store.dataset import Dataset
from qa_cli.store.kinds import KINDS
from qa_cli.version import qa_version

FORMAT = "qa-daten"
VERSION = 1


def dataset_document(dataset: Dataset) -> dict[str, Any]:
    data: dict[str, dict[str, Any]] = {}
    kinds: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        records = dataset.of_kind(kind)
        data[kind.folder] = {
            record_id: {
                "id": record_id,
                **records[record_id].model_dump(mode="json", exclude={"id"}),
            }
            for record_id in sorted(records)
        }
        kinds[kind.folder] = {"bezeichnung": kind.label_plural, "anzahl": len(records)}
    return {
        "meta": {
            "format": FORMAT,
            "version": VERSION,
            "qa_version": qa_version(),
            "beschreibung": "Alle Datensätze nach Art (Ordner unter data/) und Kennung, "
            "geprüft mit qa validate.",
            "arten": kinds,
        },
        "daten": data,
    }
