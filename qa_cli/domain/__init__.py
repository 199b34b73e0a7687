"""Domain logic: plain functions over models, no input/output."""
