"""``qa diff``: what a change does to the records and what follows from it."""
