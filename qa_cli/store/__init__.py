"""The record store: find record files, read and parse them safely, validate each record, run the
cross-record checks and cache the result. Commands get their dataset through
``qa_cli.store.checked.load_checked`` (read commands) or ``qa_cli.store.loader.load`` (validate).

Data flows one way: files → store → models → domain → render. Nothing in this package imports
from ``cli``, ``domain`` or ``render``.
"""
