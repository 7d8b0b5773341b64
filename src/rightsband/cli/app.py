"""The ``rightsband`` command group and its entry point: how the process starts and ends.

Data goes to stdout, messages to stderr. Exit codes: 0 ok, 1 data problems (bad
values, rules with errors, a failed write), 2 usage errors, 130 interrupted (Ctrl-C),
128 + N for signal N (SIGTERM 143, SIGHUP 129). A reader that goes away (``| head``)
ends the run quietly with 0; nothing ever ends in a traceback for a write that fails.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import sys
from types import FrameType
from typing import Any, NoReturn

import click

from rightsband.cli import handle, started

CONTEXT = {"help_option_names": ["-h", "--help"]}
#: Each command and the module that defines it: imported only when that command runs (or help lists them),
#: so a look-up does not pay for the others' imports.
COMMANDS = {"classify": "rightsband.cli.classify:classify", "label": "rightsband.cli.label:label",
            "list": "rightsband.cli.info:list_sets", "show": "rightsband.cli.info:show",
            "check": "rightsband.cli.info:check", "verify": "rightsband.cli.verify:verify",
            "scorecard": "rightsband.cli.scorecard:scorecard", "check-card": "rightsband.cli.scorecard:check_card",
            "panel": "rightsband.cli.panel:panel"}


class _LazyGroup(click.Group):
    """A group whose commands are imported on first use (click's documented lazy-loading pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, _, name = COMMANDS[cmd_name].partition(":")
        command = getattr(importlib.import_module(module), name)
        assert isinstance(command, click.Command)
        started()
        return command

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                          list[str]]:
        """As click's, with "Did you mean" among the lazy commands too (click looks only among those loaded)."""
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as error:
            raise click.exceptions.NoSuchCommand(error.command_name, possibilities=COMMANDS, ctx=ctx) from None


@click.group(cls=_LazyGroup, context_settings=CONTEXT)
@click.version_option(package_name="rightsband", prog_name="rightsband")
def cli() -> None:
    """Turn human-rights index scores into the band labels scorecards print.

    \b
    Examples:
      rightsband classify rsf 53.46
      rightsband classify fh-status pr=6 cl=5
      rightsband label examples/scorecard.csv -c rsf_score=rsf
      rightsband list
      rightsband show kidsrights

    \b
    Shell completion (commands, options, set ids, columns): add to your shell's start-up file
      eval "$(_RIGHTSBAND_COMPLETE=bash_source rightsband)"    # ~/.bashrc
      eval "$(_RIGHTSBAND_COMPLETE=zsh_source rightsband)"     # ~/.zshrc
      _RIGHTSBAND_COMPLETE=fish_source rightsband | source     # ~/.config/fish/config.fish
    """


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwinds like Ctrl-C, so temporary files are removed on the way out."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum: int, frame: FrameType | None) -> None:
    """SIGTERM, SIGHUP: unwind the command while it runs (as Ctrl-C does); otherwise end at once."""
    import rightsband.cli as entry

    if not entry.catching:
        os._exit(128 + signum)
    entry.catching = False
    raise Terminated(signum)


class StreamClosed(OSError):
    """A standard stream that was closed when the process started was used."""


class _ClosedStream:
    """Stands in for a standard stream that was closed when the process started: any use fails."""

    def __init__(self, name: str):
        self.name = name

    def _fail(self, *args: Any) -> NoReturn:
        what = "write the output to" if self.name == "stdout" else "read from"
        raise StreamClosed(errno.EBADF, f"{self.name} is closed: nothing to {what}")

    write = read = readline = flush = fileno = __iter__ = _fail

    def isatty(self) -> bool:
        return False


def _guard_standard_streams() -> None:
    """Point closed descriptors 0-2 at /dev/null (so no file opened later takes their number)
    and make the streams on them fail loudly instead of losing data."""
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        try:
            os.fstat(fd)
        except OSError:
            os.open(os.devnull, os.O_RDWR)  # takes the lowest free descriptor: this one
            if name != "stderr":
                setattr(sys, name, _ClosedStream(name))
            else:
                sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process


def _say(message: str) -> None:
    """A message on stderr, if stderr can still take it."""
    with contextlib.suppress(OSError, ValueError):
        print(f"rightsband: {message}", file=sys.stderr, flush=True)


def _silence_stdout() -> None:
    """After stdout failed: point it at /dev/null, so the interpreter's last flush cannot fail too."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process


def _show(error: click.ClickException) -> None:
    """click's message for a usage or data error, with control characters from the data
    (a header name, a value) shown as escapes, so each line stays one line."""
    import io

    from rightsband.values import visible

    text = io.StringIO()
    error.show(file=text)
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write("".join(visible(line) + "\n" for line in text.getvalue().rstrip("\n").split("\n")))
        sys.stderr.flush()


def _command_line(args: list[str] | None) -> int:
    """click's run of the command line, its usage and data errors shown, as an exit code."""
    try:
        code = cli.main(args, prog_name="rightsband", standalone_mode=False)
        code = code if isinstance(code, int) else 0
    except click.ClickException as error:
        _show(error)
        code = error.exit_code
    except click.exceptions.Abort:  # Ctrl-C, as click reports it
        code = 130
    except SystemExit as exit:
        if type(sys.stdout).__name__.lstrip("_") == "PacifyFlushWrapper":  # click met a closed pipe (8.4, 8.5)
            raise BrokenPipeError from None
        code = exit.code if isinstance(exit.code, int) else 1
    sys.stdout.flush()
    return code


def run(args: list[str] | None = None) -> int:
    """Run the command line and return its exit code (every failure mapped to one, quietly).

    Only while the command runs does Ctrl-C (or SIGTERM, SIGHUP) unwind it, so that its temporary
    files are removed; before and after, the handlers :func:`rightsband.cli.main` installs end the
    process at once (see :func:`rightsband.cli.on_interrupt`).
    """
    import rightsband.cli as entry

    try:
        try:
            entry.catching = True
            return _command_line(args)
        finally:
            entry.catching = False
    except KeyboardInterrupt:
        return 130
    except Terminated as terminated:
        return 128 + terminated.signum
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except OSError as error:
        if error.errno == errno.EPIPE:
            _silence_stdout()
            return 0
        where = f"{error.filename}: " if error.filename else ""
        closed = isinstance(error, StreamClosed)
        _say(str(error.strerror) if closed else f"write error: {where}{error.strerror or error}")
        _silence_stdout()
        return 1


def start() -> NoReturn:
    """The process around the command line (from :func:`rightsband.cli.main`, which has already made Ctrl-C quiet)."""
    _guard_standard_streams()
    handle(("SIGTERM", "SIGHUP"), _on_signal)
    try:
        code = run()
    finally:
        started()  # if no command was imported (--help, --version, a usage error)
    sys.exit(code)
