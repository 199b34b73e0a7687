"""German words for the help screens that Typer prints itself.

Typer passes its section headings and notes through ``gettext`` and hard-codes the usage prefix
and the help option's text; with no German catalogue installed they would stay English. We map
those few strings here. If a future Typer moves them, the help stays correct, only English.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

GERMAN = {
    "Options": "Optionen",
    "Arguments": "Argumente",
    "Commands": "Befehle",
    "(dynamic)": "(dynamisch)",
    "default: {default}": "Standard: {default}",
    "env var: {var}": "Umgebungsvariable: {var}",
    "required": "Pflicht",
}
USAGE = "Aufruf: "
PLACEHOLDERS = {"[OPTIONS]": "[OPTIONEN]", "COMMAND [ARGS]...": "BEFEHL [ARGUMENTE]..."}
HELP_TEXT = "Diese Hilfe zeigen und beenden."
# Typer names an option's value after its type (``<str>``); the German help names the kind.
VALUE_PLACEHOLDERS = {
    "<str>": "TEXT",
    "<text>": "TEXT",
    "<int>": "ZAHL",
    "<integer>": "ZAHL",
    "<float>": "ZAHL",
    "<path>": "PFAD",
    "<file>": "DATEI",
    "<filename>": "DATEI",
    "<directory>": "VERZEICHNIS",
}
_REQUIRED_ARGUMENT = re.compile(r"\{([^{}]+)\}")


def short_help(help_text: str) -> str:
    """A command's line in the list of commands: the whole first sentence, never cut off with
    "..." (Click's default stops at about 45 characters). A one- or two-letter word with a
    full stop (``z.``, ``B.``) is an abbreviation, not the end of the sentence."""
    words = inspect.cleandoc(help_text).split("\n\n", 1)[0].split()
    for index, word in enumerate(words):
        if word.endswith(".") and len(word.rstrip(".")) > 2:
            return " ".join(words[: index + 1])
    return " ".join(words)


def _german(message: str) -> str:
    return GERMAN.get(message, message)


def install() -> None:
    try:
        import typer.core as typer_core
        from typer._click import core as click_core
        from typer._click.formatting import HelpFormatter
    except ImportError:  # pragma: no cover - another Typer layout: keep its English help
        return
    typer_core._ = _german  # type: ignore[attr-defined]
    original_usage = HelpFormatter.write_usage

    def write_usage(
        self: HelpFormatter, prog: str, args: str = "", prefix: str | None = None
    ) -> None:
        for english, german in PLACEHOLDERS.items():
            args = args.replace(english, german)
        args = _REQUIRED_ARGUMENT.sub(r"\1", args)  # Typer writes a required ``ID`` as ``{ID}``
        original_usage(self, prog, args, USAGE if prefix is None else prefix)

    HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]
    original_help_option = click_core.Command.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original_help_option(self, ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    click_core.Command.get_help_option = get_help_option  # type: ignore[method-assign]

    def get_short_help_str(self: Any, limit: int = 45) -> str:
        return short_help(self.short_help or self.help or "")

    click_core.Command.get_short_help_str = get_short_help_str  # type: ignore[method-assign]
    original_metavar = click_core.Parameter.make_metavar

    def make_metavar(self: Any, ctx: Any) -> str:
        metavar = original_metavar(self, ctx)
        return VALUE_PLACEHOLDERS.get(metavar.lower(), metavar)

    click_core.Parameter.make_metavar = make_metavar  # type: ignore[method-assign]
