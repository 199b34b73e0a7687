"""The application form of a fund as a GitHub issue form (``.github/ISSUE_TEMPLATE/*.yml``) and
as one self-contained HTML page for residents without a GitHub account.

GitHub writes a submitted form as the issue's body: one ``### Label`` section per field, ticked
boxes as ``- [X] Label``; ``qa import fondsantrag`` reads exactly that (``domain/fonds_form.py``).
"""

from __future__ import annotations

from html import escape
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


# The HTML form writes the same text as GitHub's issue form. An answer line that could be read
# as a new section (``### …``) or as GitHub's empty answer gets one backslash in front;
# ``domain/fonds_form.sections`` takes it off again, so every answer imports exactly.
FORM_SCRIPT = r"""
"use strict";
const form = document.getElementById("antrag");
const output = document.getElementById("ausgabe");
const result = document.getElementById("ergebnis");
const download = document.getElementById("herunterladen");
const NO_ANSWER = "_No response_";

function guarded(text) {
  return text
    .split("\n")
    .map((line) => (/^\\*(###|_No response_)/.test(line) ? "\\" + line : line))
    .join("\n");
}

function answer(field) {
  if (field.dataset.kind === "checkboxes") {
    return [...field.querySelectorAll("input[type=checkbox]")]
      .map((box) => `- [${box.checked ? "X" : " "}] ${box.value}`)
      .join("\n");
  }
  const control = field.querySelector("input, textarea, select");
  const value = control.value.replace(/\r\n?/g, "\n").trim();
  return value ? guarded(value) : NO_ANSWER;
}

function groupsTicked() {
  let complete = true;
  for (const group of form.querySelectorAll("[data-mindestens-eins]")) {
    const boxes = [...group.querySelectorAll("input[type=checkbox]")];
    const message = boxes.some((box) => box.checked) ? "" : group.dataset.mindestensEins;
    boxes[0].setCustomValidity(message);
    complete = complete && !message;
  }
  return complete;
}

form.addEventListener("change", groupsTicked);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (!groupsTicked() || !form.reportValidity()) {
    return;
  }
  const text =
    [...form.querySelectorAll("[data-label]")]
      .map((field) => `### ${field.dataset.label}\n\n${answer(field)}`)
      .join("\n\n") + "\n";
  output.value = text;
  download.href = URL.createObjectURL(new Blob([text], { type: "text/markdown;charset=utf-8" }));
  result.hidden = false;
  output.focus();
  output.select();
});
document.getElementById("kopieren").addEventListener("click", () => {
  output.select();
  document.execCommand("copy");
});
"""

FORM_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem;
  line-height: 1.45; color: #1a1a1a; }
.feld { margin: 0 0 1.1rem; border: 0; padding: 0; }
label, legend { display: block; font-weight: 600; margin-bottom: 0.2rem; }
fieldset label { font-weight: normal; }
.hinweis { margin: 0 0 0.3rem; color: #444; font-size: 0.95em; }
input[type=text], textarea, select { width: 100%; box-sizing: border-box; font: inherit;
  padding: 0.35rem; }
textarea { min-height: 5rem; }
button, a.knopf { font: inherit; padding: 0.45rem 0.9rem; margin-right: 0.5rem; }
#ausgabe { min-height: 18rem; font-family: ui-monospace, monospace; }
@media print { form button, #ergebnis .knopfleiste { display: none; } }
"""


def html_form(fund_id: str, fund: Fonds, fields: list[Field]) -> str:
    """The form as one HTML page that needs no network: it sends nothing, it writes the
    application as text (the same text as the issue form) to copy or save as a file, which the
    coordinator imports with ``qa import fondsantrag``. A content security policy allows only
    its own script and style (by hash), so the page can load nothing."""
    name = fund.kurzname or fund.name
    policy = (
        f"default-src 'none'; script-src '{_sha256(FORM_SCRIPT)}'; "
        f"style-src '{_sha256(FORM_STYLE)}'; form-action 'none'; base-uri 'none'"
    )
    intro = (
        f"Mit diesem Formular beantragen Sie Geld aus dem {name} ({fund.name}). "
        + " ".join(fund.voraussetzungen)
        + " Das Formular sendet nichts: es schreibt Ihren Antrag als Text, den Sie kopieren "
        "oder als Datei speichern und der Geschäftsführung des Fonds schicken."
    )
    body = "\n".join(_html_field(field) for field in fields)
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="qa fonds formular {escape(fund_id)} --html">
<title>Antrag an den {escape(name)}</title>
<style>{FORM_STYLE}</style>
</head>
<body>
<h1>Antrag an den {escape(name)}</h1>
<p>{escape(intro)}</p>
<p>Pflichtangaben sind mit * markiert.</p>
<form id="antrag" novalidate>
{body}
<p><button type="submit">Antragstext erzeugen</button></p>
</form>
<section id="ergebnis" hidden>
<h2>Ihr Antrag als Text</h2>
<p>Kopieren Sie diesen Text in eine E-Mail oder speichern Sie ihn als Datei.</p>
<textarea id="ausgabe" readonly aria-label="Antragstext"></textarea>
<p class="knopfleiste"><button type="button" id="kopieren">Text kopieren</button>
<a class="knopf" id="herunterladen" download="fondsantrag-{escape(fund_id)}.md">
Als Datei speichern</a></p>
</section>
<script>{FORM_SCRIPT}</script>
</body>
</html>
"""


def _sha256(text: str) -> str:
    import base64
    import hashlib

    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _html_field(field: Field) -> str:
    """One question: its label (``*`` if required), its hint and its control."""
    key = f"f-{field.key}"
    star = " *" if field.required else ""
    hint = f'<p class="hinweis" id="h-{field.key}">{escape(field.description)}</p>' * bool(
        field.description
    )
    described = f' aria-describedby="h-{field.key}"' * bool(field.description)
    required = " required" * field.required
    attributes = f'data-label="{escape(field.label)}" data-kind="{field.kind}"'
    if field.kind == "checkboxes":
        group = (
            f' data-mindestens-eins="{escape(field.label)}: bitte mindestens eines ankreuzen."'
            * (field.required and len(field.options) > 1)
        )
        single = required * (len(field.options) == 1)
        boxes = "\n".join(
            f'<label><input type="checkbox" name="{field.key}" value="{escape(option)}"'
            f"{single}> {escape(option)}</label>"
            for option in field.options
        )
        return (
            f'<fieldset class="feld" {attributes}{group}{described}>'
            f"<legend>{escape(field.label)}{star}</legend>{hint}\n{boxes}\n</fieldset>"
        )
    label = f'<label for="{key}">{escape(field.label)}{star}</label>{hint}'
    common = f'id="{key}" name="{field.key}"{required}{described}'
    if field.kind == "dropdown":
        chosen = len(field.options) == 1 and field.required
        options = "".join(
            f"<option{' selected' * chosen}>{escape(option)}</option>" for option in field.options
        )
        control = f'<select {common}><option value="">– bitte wählen –</option>{options}</select>'
    elif field.kind == "textarea":
        control = f"<textarea {common}></textarea>"
    else:
        control = f'<input type="text" {common}>'
    return f'<div class="feld" {attributes}>{label}\n{control}</div>'
