"""``qa completion bash|zsh|fish``: the shell script that completes qa's commands and options.

The script calls qa back with ``_QA_COMPLETE`` set; ``app.main`` then answers from the full
command tree (with the German help of every command and option, which zsh and fish show).
"""

from __future__ import annotations

from typing import Annotated

import typer

from qa_cli.cli.common import fail

COMPLETE_VAR = "_QA_COMPLETE"
SHELLS = ("bash", "zsh", "fish")
_INSTALL = {
    "bash": 'In ~/.bashrc: eval "$(qa completion bash)"',
    "zsh": 'In ~/.zshrc (nach compinit): eval "$(qa completion zsh)"',
    "fish": "qa completion fish > ~/.config/fish/completions/qa.fish",
}


def register(app: typer.Typer) -> None:
    app.command("completion")(completion)


def completion(
    shell: Annotated[
        str,
        typer.Argument(metavar="SHELL", help="bash, zsh oder fish.", show_default=False),
    ],
) -> None:
    """Skript zur Vervollständigung von Befehlen und Optionen für bash, zsh oder fish ausgeben.

    bash: eval "$(qa completion bash)" in ~/.bashrc; zsh: eval "$(qa completion zsh)" in
    ~/.zshrc; fish: qa completion fish > ~/.config/fish/completions/qa.fish."""
    import sys

    from typer._completion_shared import get_completion_script

    name = shell.strip().lower()
    if name not in SHELLS:
        fail(f"„{shell}“ ist keine unterstützte Shell; erlaubt: {', '.join(SHELLS)}.")
    script = get_completion_script(prog_name="qa", complete_var=COMPLETE_VAR, shell=name)
    sys.stdout.write(f"# Vervollständigung für qa. {_INSTALL[name]}\n{script}\n")


def complete(command: typer.core.TyperGroup) -> None:
    """Answer the shell's completion request (``_QA_COMPLETE`` is set); exits the process."""
    import os

    from typer._completion_classes import completion_init

    os.environ["COLUMNS"] = "100000"  # Typer renders help texts with Rich: one line each
    completion_init()
    command.main(args=[], prog_name="qa", complete_var=COMPLETE_VAR)
