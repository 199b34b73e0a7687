"""Pydantic models of the record kinds; one module per kind."""
