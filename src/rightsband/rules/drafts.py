"""What reading one rules file yields before the files are merged: draft sets and groups, and
the rules text a caller has already read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rightsband.model import BandSet, Scale

if TYPE_CHECKING:  # not at run time: RulesSource, which every load needs, needs no positions
    from rightsband.rules.positions import Where

#: An input of a composite set before it is resolved: (name, id of the set it reads or the input's own
#: scale, take, where).
DraftInput = tuple[str, "str | Scale", str, "Where"]


class RulesSource:
    """Rules text that has already been read, with the name findings give as its FILE.

    For rules that can be read only once (stdin, a pipe such as ``--bands <(...)``):
    read the text, then pass ``RulesSource("-", text)`` (or ``RulesSource("/dev/fd/63", text)``)
    to ``load_rules`` or ``check_rules``. Such text is never cached: it has no stable file.
    """

    __slots__ = ("name", "text")

    def __init__(self, name: str, text: str):
        self.name, self.text = name, text

    def __repr__(self) -> str:
        return f"RulesSource({self.name!r}, <{len(self.text)} characters>)"


#: Another name for :class:`RulesSource`.
RulesText = RulesSource


class Draft:
    """A band set as read from one file, with where it stands and its unresolved inputs."""

    __slots__ = ("set", "file", "where", "inputs")

    def __init__(self, band_set: BandSet, file: str, where: Where, inputs: list[DraftInput]):
        self.set, self.file, self.where, self.inputs = band_set, file, where, inputs

    @property
    def line(self) -> int:
        """The line of the set's ``[[set]]`` header."""
        return self.where()


class GroupDraft:
    """A ``[[group]]`` as read from one file: its editions still as ids."""

    __slots__ = ("id", "name", "editions", "notes", "file", "where", "topic")

    def __init__(self, id: str, name: str, editions: list[str], notes: str, file: str, where: Where, topic: str = ""):
        self.id, self.name, self.editions, self.notes, self.file, self.where = id, name, editions, notes, file, where
        self.topic = topic

    @property
    def line(self) -> int:
        """The line of the group's ``[[group]]`` header."""
        return self.where()
