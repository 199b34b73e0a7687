"""German words for the help screens that Typer prints itself.

Typer passes its section headings and notes through ``gettext`` and hard-codes the usage prefix
and the help option's text; with no German catalogue installed they would stay English. We map
those few strings here. If a future Typer moves them, the help stays correct, only English.
"""

from __future__ import annotations

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
        original_usage(self, prog, args, USAGE if prefix is None else prefix)

    HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]
    original_help_option = click_core.Command.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original_help_option(self, ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    click_core.Command.get_help_option = get_help_option  # type: ignore[method-assign]
