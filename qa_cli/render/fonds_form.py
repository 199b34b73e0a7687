"""The application form of a fund as a GitHub issue form (``.github/ISSUE_TEMPLATE/*.yml``).

GitHub writes a submitted form as the issue's body: one ``### Label`` section per field, ticked
boxes as ``- [X] Label``; ``qa import fondsantrag`` reads exactly that (``domain/fonds_form.py``).
"""

from __future__ import annotations

from typing import Any

import yaml

from qa_cli.domain.fonds_form import Field
from qa_cli.models.fonds import Fonds


def issue_form(fund_id: str, fund: Fonds, fields: list[Field]) -> str:
    """The form as YAML, with a header comment saying how it was made."""
    name = fund.kurzname or fund.name
    document: dict[str, Any] = {
        "name": f"Antrag an den {name}",
        "description": f"Ein Projekt beim {name} beantragen ({fund.name}).",
        "title": f"Fondsantrag {name}: ",
        "labels": ["fondsantrag", fund_id],
        "body": [
            {
                "type": "markdown",
                "attributes": {
                    "value": f"Mit diesem Formular beantragen Sie Geld aus dem {name}. "
                    + " ".join(fund.voraussetzungen)
                    + " Die Geschäftsführung des Fonds übernimmt Ihre Angaben ohne Abtippen "
                    "(`qa import fondsantrag`). Achtung: Was Sie hier eintragen, sehen alle, "
                    "die dieses Repository sehen können; nennen Sie nur Kontaktdaten, die "
                    "öffentlich sein dürfen."
                },
            },
            *(_element(field) for field in fields),
        ],
    }
    header = (
        f"# Erzeugt mit `qa fonds formular {fund_id}` aus data/fonds/{fund_id}.yaml und den "
        "Gebieten;\n# nicht von Hand ändern, sondern neu erzeugen.\n"
    )
    return header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


def _element(field: Field) -> dict[str, Any]:
    attributes: dict[str, Any] = {"label": field.label}
    if field.description:
        attributes["description"] = field.description
    element: dict[str, Any] = {"type": field.kind, "id": field.key, "attributes": attributes}
    if field.kind == "dropdown":
        attributes["options"] = list(field.options)
    if field.kind == "checkboxes":
        attributes["options"] = [
            {"label": option, "required": field.required and len(field.options) == 1}
            for option in field.options
        ]
    else:
        element["validations"] = {"required": field.required}
    return element
