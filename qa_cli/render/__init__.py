"""Renderers: turn domain results into text, tables, CSV, JSON or Markdown. No domain logic."""
