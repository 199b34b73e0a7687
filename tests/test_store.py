"""The store's structure and its pipeline, in process: imports one way, only what is needed,
only what changed, one interface for the working tree, a revision and git's index."""

from __future__ import annotations

import ast
import os
import shutil
import sqlite3
from collections.abc import Mapping
from pathlib import Path

import pytest

from qa_cli.months import Month
from qa_cli.store import cache, loader, pipeline, reading
from qa_cli.store.cache import DATABASE, RecordIndex
from qa_cli.store.checked import load_checked
from qa_cli.store.checks import CheckResult, run_all_checks
from qa_cli.store.dataset import Dataset, KindNotLoaded, RecordFile
from qa_cli.store.kinds import ANLAUFSTELLEN, GEBIETE, KINDS, STADT
from qa_cli.store.probes import end_probe, ends_by
from qa_cli.store.problems import Problem
from qa_cli.store.sources import GitSource, WorkingTree, git_view
from tests.conftest import MINIMAL_OFFICE, REPO
from tests.test_cache import committed, git

STORE = REPO / "qa_cli" / "store"
FORBIDDEN = ("qa_cli.cli", "qa_cli.domain", "qa_cli.render", "qa_cli.diff")


def store_imports() -> dict[str, set[str]]:
    """Module → the store modules it imports anywhere (also inside functions)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(STORE.glob("*.py")):
        name = f"qa_cli.store.{path.stem}"
        graph[name] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            graph[name].update(targets)
    return graph


def test_store_imports_form_no_cycle_and_nothing_above_it() -> None:
    graph = store_imports()
    for module, targets in graph.items():
        assert not [t for t in targets if t.startswith(FORBIDDEN)], module
    edges = {m: {t for t in targets if t in graph and t != m} for m, targets in graph.items()}
    state: dict[str, str] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges[module]):
            assert state.get(target) != "open", " → ".join([*trail, module, target])
            if target not in state:
                visit(target, [*trail, module])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [])


def test_commands_build_only_the_kinds_they_need(
    shipped_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "cache"))
    full = load_checked(shipped_copy)
    assert full.ok and full.dataset.antraege
    answer = load_checked(shipped_copy, needs=(ANLAUFSTELLEN, GEBIETE, STADT))
    assert answer.ok and answer.dataset.anlaufstellen == full.dataset.anlaufstellen
    assert answer.dataset.stadt == full.dataset.stadt
    with pytest.raises(KindNotLoaded):
        answer.dataset.antraege  # noqa: B018 (the access itself is what is tested)


class CountingParses:
    """Counts the files the pipeline parses and validates (it still does the real work; in this
    process: the data of these tests is below ``reading.PARALLEL_FROM``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.parsed: list[str] = []
        real = loader.record_from_raw

        def counted(record_file: RecordFile, raw: bytes, problems: list[Problem]):  # type: ignore[no-untyped-def]
            self.parsed.append(record_file.relative)
            return real(record_file, raw, problems)

        monkeypatch.setattr(reading, "record_from_raw", counted)


def test_after_an_edit_only_the_edited_file_is_parsed_again(
    shipped_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "cache"))
    counter = CountingParses(monkeypatch)
    first = load_checked(shipped_copy)
    assert len(counter.parsed) == first.files_read
    office = shipped_copy / "anlaufstellen" / "stadtteilbuero-batenbrock.yaml"
    office.write_text(office.read_text(encoding="utf-8").replace("2020-12", "2023-06"), "utf-8")
    counter.parsed.clear()
    second = load_checked(shipped_copy)
    assert counter.parsed == ["anlaufstellen/stadtteilbuero-batenbrock.yaml"]
    assert second.problems == pipeline.load(shipped_copy).problems
    counter.parsed.clear()
    load_checked(shipped_copy, needs=(ANLAUFSTELLEN,))
    assert counter.parsed == []


class EditsWhileRead(WorkingTree):
    """A working tree in which one file is edited just before qa reads it, and restored right
    after: the state a user sees before and after the run is the same."""

    def read(self, record_file: RecordFile) -> bytes | Problem:
        path = Path(record_file.path)
        if record_file.id != "stadtteilbuero-batenbrock":
            return super().read(record_file)
        original = path.read_bytes()
        path.write_bytes(original.replace(b"gebiet: batenbrock", b"gebiet: nirgendwo"))
        try:
            return super().read(record_file)
        finally:
            path.write_bytes(original)


def test_a_file_edited_during_a_run_and_restored_leaves_no_result(
    shipped_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "cache"))
    index = RecordIndex(shipped_copy)
    during = pipeline.load_indexed(EditsWhileRead(shipped_copy), None, index)
    assert [p.code for p in during.problems] == ["unbekannte-referenz"]  # what it read
    after = load_checked(shipped_copy)
    assert after.ok and after.problems == pipeline.load(shipped_copy).problems


def test_a_revision_and_the_index_load_like_the_working_tree(
    shipped_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "cache"))
    repo = committed(shipped_copy)
    (shipped_copy / "anlaufstellen" / "kaputt.yaml").write_text(
        MINIMAL_OFFICE.replace("testgebiet", "nirgendwo"), encoding="utf-8"
    )
    (shipped_copy / "antraege" / "syntax.yaml").write_text("name: [\n", encoding="utf-8")
    git(repo, "add", "data")
    staged = load_checked(GitSource(repo, "data", None))
    tree = load_checked(shipped_copy)
    assert staged.problems == tree.problems  # same content, same report, same paths
    assert {p.code for p in staged.problems} == {"unbekannte-referenz", "yaml-syntax"}
    head = git(repo, "rev-parse", "HEAD").strip()
    at_head = load_checked(GitSource(repo, "data", head))
    assert at_head.ok and at_head.files_read == tree.files_read - 2
    assert (
        at_head.dataset.anlaufstellen
        == pipeline.load(GitSource(repo, "data", head)).dataset.anlaufstellen
    )
    shutil.rmtree(shipped_copy)  # a revision needs no working tree
    assert load_checked(GitSource(repo, "data", head)).ok


def drop_rows(index: RecordIndex) -> int:
    """What another run's clean-up (``forget_others``) may do meanwhile: delete record rows."""
    with sqlite3.connect(index.folder / DATABASE) as db:
        return db.execute("DELETE FROM records").rowcount


def test_a_first_run_checks_the_rows_it_wrote_from_a_snapshot(
    shipped_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above ``MODELS_UP_TO`` files (here: any) a first run keeps no record's JSON in memory:
    the checks read every office back from the index, from a snapshot taken once all rows are
    written, so rows another run deletes meanwhile are still there and no file is read twice."""
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(pipeline, "MODELS_UP_TO", 0)
    counter = CountingParses(monkeypatch)
    index = RecordIndex(shipped_copy)
    read_back: list[str] = []
    checked: set[str] = set()
    real_dumps = index.dumps

    def dumps(kind: str, wanted: Mapping[str, str]) -> dict[str, str]:
        found = real_dumps(kind, wanted)
        read_back.extend(found if kind == ANLAUFSTELLEN.folder else ())
        return found

    def checks_after_a_deletion(dataset: Dataset) -> list[CheckResult]:
        assert drop_rows(index) == len(counter.parsed)
        read_back.clear()
        results = run_all_checks(dataset)
        checked.update(read_back)
        return results

    monkeypatch.setattr(index, "dumps", dumps)
    monkeypatch.setattr(pipeline, "run_all_checks", checks_after_a_deletion)
    result = pipeline.load_indexed(shipped_copy, None, index)
    offices = sorted(path.stem for path in (shipped_copy / "anlaufstellen").glob("*.yaml"))
    assert len(counter.parsed) == result.files_read
    assert checked == set(offices)
    assert sorted(result.dataset.anlaufstellen) == offices
    monkeypatch.setattr(pipeline, "run_all_checks", run_all_checks)
    assert result.problems == pipeline.load(shipped_copy).problems == []


def test_rows_deleted_before_the_snapshot_make_the_run_read_the_files_again(
    shipped_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows gone before the snapshot begins cannot be read back: the run reads every file
    again and holds their JSON itself; its answer is still the fresh one."""
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(pipeline, "MODELS_UP_TO", 0)
    (shipped_copy / "anlaufstellen" / "kaputt.yaml").write_text(
        MINIMAL_OFFICE.replace("testgebiet", "nirgendwo"), encoding="utf-8"
    )
    counter = CountingParses(monkeypatch)
    index = RecordIndex(shipped_copy)
    real_hold = index.hold
    deleted: list[int] = []

    def hold_after_a_deletion() -> None:
        exists = (index.folder / DATABASE).exists()
        if exists and not deleted and (count := drop_rows(index)):
            deleted.append(count)
        real_hold()

    monkeypatch.setattr(index, "hold", hold_after_a_deletion)
    result = pipeline.load_indexed(shipped_copy, (ANLAUFSTELLEN,), index)
    fresh = pipeline.load(shipped_copy, (ANLAUFSTELLEN,))
    assert deleted == [result.files_read]  # each record is valid on its own: each had a row
    assert len(counter.parsed) == 2 * result.files_read + fresh.files_read
    assert result.problems == fresh.problems
    assert [p.code for p in result.problems] == ["unbekannte-referenz"]
    assert dict(result.dataset.anlaufstellen) == dict(fresh.dataset.anlaufstellen)


def test_a_clean_up_by_another_run_before_the_snapshot_is_seen(
    shipped_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another run's clean-up (its ``save_run`` drops the rows no file of its state has) between
    this run's start and its snapshot changes the index's generation: this run then reads the
    files itself, so an answer chosen in SQL by probe (``known``, which then counts no rows)
    misses none.
    The edit is to an indicator catalogue, which no check that walks the offices reads, and
    the query asks only for offices: only the answer reads their rows (without the generation
    check it is empty)."""
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(pipeline, "MODELS_UP_TO", 0)
    monkeypatch.setattr(cache, "SLACK", 0)
    bound = ends_by(Month.parse("2021-06"))
    needs, streamed = (ANLAUFSTELLEN,), (ANLAUFSTELLEN,)
    first = pipeline.load_indexed(
        shipped_copy, needs, RecordIndex(shipped_copy), {ANLAUFSTELLEN: bound}, streamed
    )
    catalogue = shipped_copy / "indikatoren" / "katalog" / "einwohner.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + "# neu\n", encoding="utf-8")
    index = RecordIndex(shipped_copy)
    real_hold = index.hold
    cleaned: list[RecordIndex] = []
    holds: list[None] = []

    def hold_after_a_clean_up() -> None:
        holds.append(None)
        if len(holds) == 2:  # the first is the known run's lookup, before the run begins
            other = RecordIndex(shipped_copy)
            other.begin()
            other.save_run("anderer-stand", "anderswo", [], 0, {}, None, dict)
            cleaned.append(other)
        real_hold()

    monkeypatch.setattr(index, "hold", hold_after_a_clean_up)
    result = pipeline.load_indexed(shipped_copy, needs, index, {ANLAUFSTELLEN: bound}, streamed)
    fresh = pipeline.load(shipped_copy, needs).dataset.anlaufstellen
    expected = sorted(i for i, office in fresh.items() if end_probe(office) <= bound)
    assert cleaned and 0 < len(expected) < len(fresh)
    assert sorted(first.dataset.anlaufstellen) == expected
    assert sorted(result.dataset.anlaufstellen) == expected
    assert not result.problems


@pytest.mark.parametrize(
    "data", [REPO / "data", REPO / "tests" / "fixtures" / "zweite-stadt" / "data"]
)
def test_a_record_kept_without_its_defaults_builds_back_the_same(data: Path) -> None:
    """The index keeps a record's JSON without the fields that hold their default
    (``reading.stored_json``); built again it is the same record, for every kind."""
    result = pipeline.load(WorkingTree(data))
    assert not result.problems
    kinds = {kind.folder: kind for kind in KINDS}
    seen = set()
    for folder, records in result.dataset.records.items():
        for record in records.values():
            kept = reading.stored_json(record)
            built = kinds[folder].model.model_validate_json(kept)
            assert built == record
            assert built.model_dump_json() == record.model_dump_json()
            seen.add(folder)
    assert len(kept) < len(record.model_dump_json())
    if data == REPO / "data":
        assert seen == {kind.folder for kind in KINDS}


def test_git_vouches_only_for_tracked_regular_files_it_has_compared(tmp_path: Path) -> None:
    """``git_view`` reads ``git ls-files -s -v -z`` in one pass: only files git looks at, of a
    regular mode, in no conflict and unchanged in the working tree get git's blob id (the same
    as ``git hash-object``); a name that is not UTF-8 keeps its bytes. The working tree then
    gives every file the id of its bytes."""
    data = tmp_path / "data"
    folder = data / "anlaufstellen"
    folder.mkdir(parents=True)
    names = ["sauber", "geaendert", "unveraendert-angenommen", "ausserhalb", "ausfuehrbar"]
    for name in names:
        (folder / f"{name}.yaml").write_text(f"id: {name}\n", encoding="utf-8")
    odd = os.fsdecode(b"f\xfcr.yaml")
    (folder / odd).write_text("id: fuer\n", encoding="utf-8")
    (folder / "ausfuehrbar.yaml").chmod(0o755)
    (folder / "verweis.yaml").symlink_to("sauber.yaml")
    repo = committed(data)
    git(
        repo,
        "update-index",
        "--assume-unchanged",
        "data/anlaufstellen/unveraendert-angenommen.yaml",
    )
    git(repo, "update-index", "--skip-worktree", "data/anlaufstellen/ausserhalb.yaml")
    (folder / "geaendert.yaml").write_text("id: anders\n", encoding="utf-8")
    (folder / "neu.yaml").write_text("id: neu\n", encoding="utf-8")
    (folder / "konflikt.yaml").write_text("id: konflikt\n", encoding="utf-8")
    blob = git(repo, "hash-object", "-w", "data/anlaufstellen/konflikt.yaml").strip()
    stages = "".join(
        f"100644 {blob} {stage}\tdata/anlaufstellen/konflikt.yaml\n" for stage in (1, 2)
    )
    git(repo, "update-index", "--index-info", stdin=stages)  # a merge left it in conflict

    view = git_view(data)

    assert view is not None
    vouched = [
        "anlaufstellen/sauber.yaml",
        "anlaufstellen/ausfuehrbar.yaml",
        f"anlaufstellen/{odd}",
    ]
    assert sorted(view.clean) == sorted(vouched)
    for relative in vouched:
        assert view.clean[relative] == git(repo, "hash-object", f"data/{relative}").strip()
    for keyed in (False, True):  # git asked after the walk, or before it and answering meanwhile
        tree = WorkingTree(data)
        files = tree.discover([], keyed=keyed)
        ids = tree.content_ids(files)
        assert len(files) == len(names) + 3  # the link is reported, not read
        for record_file in files:
            actual = git(repo, "hash-object", f"data/{record_file.relative}").strip()
            assert ids[record_file.relative] == actual, record_file.relative
