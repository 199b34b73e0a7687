"""The README documents every error code a user can meet."""

from qa_cli.store.problems import CODES
from tests.conftest import REPO


def test_readme_lists_every_error_code() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [code for code in CODES if f"`{code}`" not in readme]
    assert missing == []
