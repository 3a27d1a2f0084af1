"""Every CLI command and option is documented in docs/cli.md."""

import re
from pathlib import Path

from facilitation.cli import cli

DOC = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")


def sections() -> dict[str, str]:
    parts = re.split(r"^## `([a-z-]+)`$", DOC, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_command_has_a_section():
    assert set(cli.commands) == set(sections()), "docs/cli.md and the CLI disagree"


def test_every_option_is_documented_in_its_commands_section():
    docs = sections()
    missing = [
        f"{name} {opt}"
        for name, command in cli.commands.items()
        for param in command.params
        for opt in getattr(param, "opts", []) + getattr(param, "secondary_opts", [])
        if opt.startswith("--") and f"`{opt}`" not in docs.get(name, "")
    ]
    assert not missing, f"options missing from docs/cli.md: {missing}"
