"""Whatever bytes a record file holds, ``qa validate`` ends with 0 or 1 and no traceback."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_cli.cli.app import app
from qa_cli.cli.usage import run
from tests.conftest import MINIMAL_AREA, MINIMAL_OFFICE

VALID = MINIMAL_OFFICE.encode()


@st.composite
def mutated_record(draw: st.DrawFn) -> bytes:
    """A valid record with a random piece of text or bytes spliced in."""
    position = draw(st.integers(0, len(VALID)))
    insert = draw(
        st.one_of(
            st.binary(max_size=40),
            st.text(alphabet=st.characters(codec="utf-8"), max_size=40).map(str.encode),
            st.sampled_from(
                [
                    b": ",
                    b"- ",
                    b"&a ",
                    b"*a",
                    b"<<: ",
                    b"!!python/name:x ",
                    b"\t",
                    b"---\n",
                    b"[",
                    b"{",
                    b"\x00",
                    b"\xff",
                ]
            ),
        )
    )
    cut = draw(st.integers(0, 20))
    return VALID[:position] + insert + VALID[position + cut :]


CONTENT = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=500).map(lambda text: text.encode("utf-8", "surrogatepass")),
    mutated_record(),
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "data"
    (root / "gebiete").mkdir(parents=True)
    (root / "anlaufstellen").mkdir()
    (root / "gebiete" / "testgebiet.yaml").write_text(MINIMAL_AREA, encoding="utf-8")
    return root


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=CONTENT)
def test_validate_never_crashes(scratch: Path, content: bytes) -> None:
    (scratch / "anlaufstellen" / "probe.yaml").write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(
            typer.main.get_command(app), ["validate", "--data", str(scratch), "--format", "json"]
        )
    assert code in (0, 1), err.getvalue()
    assert "Traceback" not in out.getvalue() + err.getvalue()
