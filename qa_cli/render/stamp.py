"""How a report says when it was made and from which state of the data (``DataState``)."""

from __future__ import annotations

from typing import Any

from qa_cli.store.state import DataState


def _day(moment: Any) -> str:
    return f"{moment:%d.%m.%Y}"


def stamp_text(state: DataState) -> str:
    """One German sentence for people, e.g. „Erstellt am 02.12.2026 aus dem Datenstand
    70e15801c6 vom 01.12.2026 (mit nicht eingecheckten Änderungen).“ The name a ``--rev`` gave
    the commit (a tag, ``HEAD~2``) is left to ``stamp_json``: the commit id says the same for
    good, and a paper made again at its commit reads exactly as the one made then."""
    made = f"Erstellt am {_day(state.made_at)}"
    if state.commit is None or state.commit_date is None:
        if state.dirty:
            return f"{made} aus Daten, von denen noch nichts eingecheckt ist (kein Commit)."
        return f"{made} aus einem Datenverzeichnis ohne Git, also ohne nachprüfbaren Datenstand."
    text = f"{made} aus dem Datenstand {state.commit[:10]} vom {_day(state.commit_date)}"
    if state.dirty:
        text += " mit nicht eingecheckten Änderungen"
    return text + "."


def stamp_json(state: DataState) -> dict[str, Any]:
    """The same for scripts: full commit id and ISO dates."""
    return {
        "erstellt_am": state.made_at.isoformat(),
        "commit": state.commit,
        "commit_datum": state.commit_date.isoformat() if state.commit_date else None,
        "revision": state.revision,
        "nicht_eingecheckte_aenderungen": state.dirty,
    }
