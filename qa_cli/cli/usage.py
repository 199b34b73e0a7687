"""Run the Click command behind Typer and turn its (English) usage errors into German ones.

Typer's parser raises ``UsageError`` subclasses with English text; we run it with
``standalone_mode=False``, catch them and say the same in German, with a pointer to ``--help``.
Unexpected exceptions become a one-line German message (``QA_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import re
import sys
import traceback
from typing import Any

import typer
from typer._click import exceptions as click_errors  # Typer vendors Click since 0.2x

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"'(.*)' is not a valid int(?:eger)?\."), "„{0}“ ist keine ganze Zahl"),
    (re.compile(r"'(.*)' is not a valid float\."), "„{0}“ ist keine Zahl"),
    (re.compile(r"Got unexpected extra arguments? \((.*)\)"), "Unerwartetes Argument „{0}“"),
    (re.compile(r"Option '(.*)' requires an argument"), "Option „{0}“ braucht einen Wert"),
    (re.compile(r"Option '(.*)' does not take a value"), "Option „{0}“ nimmt keinen Wert"),
)
_NO_SUCH_COMMAND = re.compile(r"No such command '([^']*)'")


def german_usage_message(error: Any) -> str:
    if isinstance(error, click_errors.NoSuchOption):
        message = f"Unbekannte Option „{error.option_name}“."
        if error.possibilities:
            message += " Meinten Sie: " + ", ".join(sorted(error.possibilities)) + "?"
        return message
    if isinstance(error, click_errors.MissingParameter) and error.param is not None:
        param = error.param
        if param.param_type_name == "argument":
            return f"Argument „{param.metavar or str(param.name).upper()}“ fehlt."
        return f"Option „{'/'.join(param.opts)}“ fehlt."
    text = error.message
    unknown = _NO_SUCH_COMMAND.search(text)
    if unknown:
        return unknown_command(unknown.group(1), error.ctx)
    for pattern, template in _PATTERNS:
        match = pattern.search(text)
        if match:
            text = template.format(*match.groups())
            break
    if isinstance(error, click_errors.BadParameter) and error.param is not None:
        name = "/".join(error.param.opts)
        return f"Ungültiger Wert für „{name}“: {text}."
    return text if text.endswith("?") else f"{text}."


def unknown_command(name: str, ctx: Any) -> str:
    """German message for an unknown command, with the commands of the group that come close
    (``qa expirng`` → expiring): by similarity, or because the name starts the same way."""
    import difflib

    group = ctx.command if ctx is not None else None
    names = (
        list(group.list_commands(ctx))
        if group is not None and hasattr(group, "list_commands")
        else []
    )
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    close += [each for each in names if name and each.startswith(name) and each not in close]
    message = f"Unbekannter Befehl „{name}“."
    if close:
        message += " Meinten Sie " + " oder ".join(f"„{each}“" for each in close) + "?"
    return message


def run(command: Any, args: list[str], *, debug: bool = False) -> int:
    """Run ``command`` with ``args``; return the exit code (0, 1, 2; 130 on Ctrl-C)."""
    try:
        result = command.main(args=args, prog_name="qa", standalone_mode=False)
        sys.stdout.flush()  # a full disk or device shows here, not silently at the exit
    except click_errors.NoArgsIsHelpError as error:
        sys.stdout.write(error.message + "\n")
        return 0
    except click_errors.UsageError as error:
        sys.stderr.write(f"qa: Fehler: {german_usage_message(error)}\n")
        path = error.ctx.command_path if error.ctx is not None else "qa"
        sys.stderr.write(f"Hilfe: {path} --help\n")
        return 2
    except (KeyboardInterrupt, typer.Abort):
        sys.stderr.write("qa: abgebrochen.\n")
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except OSError as error:  # the output or a file vanished, filled a disk, was refused
        from qa_cli.german import os_error

        where = f"„{error.filename}“" if error.filename else "Die Ausgabe"
        sys.stderr.write(f"qa: Fehler: {where}: {os_error(error)}.\n")
        sys.stderr.write(
            "Hinweis: Wurde während des Laufs etwas gelöscht, ist der Datenträger voll oder "
            "die Ausgabe geschlossen? Dann beheben und erneut aufrufen.\n"
        )
        _silence_stdout()
        return 1
    except Exception as error:  # the promise: no traceback for users
        if debug:
            traceback.print_exc()
        sys.stderr.write(
            f"qa: interner Fehler ({type(error).__name__}: {error}). Bitte melden; "
            "mit QA_DEBUG=1 erscheint die technische Ablaufverfolgung.\n"
        )
        return 3
    return result if isinstance(result, int) else 0


def _silence_stdout() -> None:
    """After the reader of a pipe went away (``qa list | head``), exit quietly."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
