"""qa: Werkzeuge für die Quartiersarbeit einer Stadt (Datensätze, Förderungen, Berichte).

The version lives in pyproject.toml only; ``qa_cli.version.qa_version()`` reads it.
"""
