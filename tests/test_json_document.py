"""A JSON document written a member at a time (and the rows of a listing an item at a time, as
they are made) is the very text the whole document gives as one: the same bytes, for any values,
escaped alike."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from qa_cli.render.json_document import json_text, write_json_document

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
DOCUMENTS = st.dictionaries(st.text(), VALUES | st.lists(VALUES, max_size=5), max_size=5)


@given(DOCUMENTS, st.data())
def test_written_member_by_member_is_the_whole_text(
    document: dict[str, Any], data: st.DataObject
) -> None:
    as_written = {
        key: iter(value) if isinstance(value, list) and data.draw(st.booleans()) else value
        for key, value in document.items()
    }
    out = io.StringIO()
    write_json_document(as_written, out)
    assert out.getvalue() == json_text(document)
    json.loads(out.getvalue())  # and it is JSON


def test_a_listing_is_written_as_its_rows_are_made() -> None:
    made: list[int] = []

    def rows() -> Any:
        for number in range(3):
            made.append(number)
            yield {"nummer": number}

    class Watching(io.StringIO):
        def write(self, text: str) -> int:
            seen.append(len(made))
            return super().write(text)

    seen: list[int] = []
    write_json_document({"zeilen": rows()}, Watching())
    assert seen[-1] == 3 and 1 in seen and 2 in seen  # written between the rows, not after all
