"""After an edit only the changed files are read and only the checks the change can affect run
again (``checks.rerun_checks``); the answer is always that of a fresh read. Random sequences of
edits that the cross-record checks see (dangling references, periods, ratings, the matrix and
the city record that other records are judged by, deleted and restored records), in process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_cli.store import pipeline
from qa_cli.store.checked import load_checked
from tests.conftest import SHIPPED_DATA
from tests.test_store import CountingParses

OFFICE = "anlaufstellen/stadtteilbuero-batenbrock.yaml"
Edit = Callable[[str], str | None]
EDITS: dict[str, tuple[Edit, ...]] = {
    OFFICE: (
        lambda text: text.replace("gebiet: batenbrock", "gebiet: nirgendwo"),
        lambda text: text.replace("beginn: null", 'beginn: "2021-01"'),
        lambda text: text.replace("name: Stadtteilbüro", "name: Stadtbüro"),
        lambda text: None,  # deleted
    ),
    "gebiete/batenbrock.yaml": (
        lambda text: text.replace("name: ", "name: Neu-", 1),
        lambda text: None,
    ),
    "antraege/2020-stadtteilbuero-batenbrock.yaml": (
        lambda text: text.replace("verstetigung: 3", "verstetigung: 9", 1),
        lambda text: text.replace("verstetigung: 3", "verstetgung: 3", 1),
    ),
    "entscheidungsmatrizen/2020.yaml": (lambda text: text.replace("budget: 60000", "budget: 1"),),
    "stadt/bottrop.yaml": (lambda text: text.replace("radius_km: 15", "radius_km: 1"),),
}
STEPS = st.lists(
    st.tuples(st.sampled_from(sorted(EDITS)), st.integers(0, 4), st.booleans()),
    min_size=1,
    max_size=6,
)


def change(data: Path, relative: str, number: int, restore: bool) -> None:
    original = (SHIPPED_DATA / relative).read_text(encoding="utf-8")
    edits = EDITS[relative]
    text = original if restore else edits[number % len(edits)](original)
    path = data / relative
    if text is None:
        path.unlink(missing_ok=True)
    else:
        path.write_text(text, encoding="utf-8")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=STEPS)
def test_an_incremental_run_answers_like_a_fresh_one(
    shipped_copy: Path, tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[str, int, bool]]
) -> None:
    cache = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("QA_CACHE_DIR", str(cache))
        for relative in EDITS:
            change(shipped_copy, relative, 0, restore=True)
        assert load_checked(shipped_copy).ok
        for relative, number, restore in steps:
            change(shipped_copy, relative, number, restore)
            cached = load_checked(shipped_copy, needs=())
            assert cached.problems == pipeline.load(shipped_copy).problems
            assert cached.files_read == pipeline.load(shipped_copy).files_read


def test_an_edited_office_is_the_only_file_read_and_its_problem_is_found(
    shipped_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "cache"))
    assert load_checked(shipped_copy).ok
    counter = CountingParses(monkeypatch)
    change(shipped_copy, OFFICE, 0, restore=False)
    edited = load_checked(shipped_copy)
    assert counter.parsed == [OFFICE]
    assert [p.code for p in edited.problems] == ["unbekannte-referenz"]
    change(shipped_copy, OFFICE, 0, restore=True)
    assert load_checked(shipped_copy).ok


def test_a_broken_file_edited_into_another_broken_file_is_reported_not_crashed(
    tmp_path: Path,
) -> None:
    """Found by tests/test_property.py: an incremental run walked a changed record that did
    not validate before nor after (exit 3 instead of 1)."""
    from tests.conftest import MINIMAL_AREA, run_qa

    data = tmp_path / "data"
    (data / "gebiete").mkdir(parents=True)
    (data / "anlaufstellen").mkdir()
    (data / "gebiete" / "testgebiet.yaml").write_text(MINIMAL_AREA, encoding="utf-8")
    cache = {"QA_CACHE_DIR": str(tmp_path / "cache")}
    for content in (b"name: [", b"a: 1", b"\x01"):
        (data / "anlaufstellen" / "probe.yaml").write_bytes(content)
        cached = run_qa("validate", "--data", str(data), "--format", "json", env=cache)
        fresh = run_qa("validate", "--no-cache", "--data", str(data), "--format", "json")
        assert cached.code == 1, cached.err
        assert (cached.out, cached.err) == (fresh.out, fresh.err)
