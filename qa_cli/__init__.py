"""qa: Werkzeuge für die Quartiersarbeit einer Stadt (Datensätze, Förderungen, Berichte)."""

__version__ = "0.1.0"
