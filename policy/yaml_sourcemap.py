"""Where each value and key of a YAML document stands, for ``path:line:col`` messages."""

from __future__ import annotations

from dataclasses import dataclass, field

from yaml.nodes import Node, ScalarNode

Loc = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of a document stands."""

    file: str
    text: str
    values: dict[Loc, Node] = field(default_factory=dict)
    keys: dict[Loc, Node] = field(default_factory=dict)
    from_plain_scalar: set[Loc] = field(default_factory=set)

    def deepest(self, loc: Loc) -> Loc:
        """The longest prefix of ``loc`` that names a node, skipping foreign segments.

        Validation error paths may carry segments that are not in the document (a union
        member's name, ``[key]``); they are skipped rather than ending the walk.
        """
        found: Loc = ()
        for part in loc:
            candidate = (*found, part)
            if candidate in self.values:
                found = candidate
        return found

    def position(self, loc: Loc, *, at_key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``loc`` (or of its key)."""
        known = self.deepest(loc)
        node = self.keys.get(known) if at_key else None
        if node is None:
            node = self.values.get(known)
        if node is None:
            return (1, 1)
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def text_position(self, loc: Loc, offset: int) -> tuple[int, int]:
        """1-based position of character ``offset`` inside the string value at ``loc``.

        Exact for literal block scalars and single-line scalars; otherwise the value's
        start, which is still on the right line for the reader to look at.
        """
        node = self.values.get(loc)
        if not isinstance(node, ScalarNode):
            return self.position(loc)
        start = node.start_mark
        if node.style == "|":
            before = node.value[:offset]
            line_in_value = before.count("\n")
            column_in_line = offset - (before.rfind("\n") + 1)
            indent = self._block_indent(start.line + 1)
            return (start.line + 2 + line_in_value, indent + column_in_line + 1)
        if start.line == node.end_mark.line and "\\" not in node.value:
            quote = 1 if node.style in ("'", '"') else 0
            return (start.line + 1, start.column + quote + offset + 1)
        return self._find_in_source(node, offset) or (start.line + 1, start.column + 1)

    def _find_in_source(self, node: ScalarNode, offset: int) -> tuple[int, int] | None:
        """Locate a ``{{ … }}`` of a folded or multi-line value by its text in the file.

        Folding rewrites line breaks, so offsets do not map to columns; the placeholder
        itself is unchanged, and its n-th occurrence in the value is its n-th in the node.
        """
        value: str = node.value
        end = value.find("}}", offset)
        needle = value[offset : end + 2] if end >= 0 else value[offset : offset + 1]
        if not needle:
            return None
        occurrence = value.count(needle, 0, offset)
        index = node.start_mark.index
        for _ in range(occurrence + 1):
            index = self.text.find(needle, index, node.end_mark.index)
            if index < 0:
                return None
            index += 1
        index -= 1
        line = self.text.count("\n", 0, index)
        column = index - (self.text.rfind("\n", 0, index) + 1)
        return (line + 1, column + 1)

    def _block_indent(self, first_line: int) -> int:
        for raw in self.text.splitlines()[first_line:]:
            if raw.strip():
                return len(raw) - len(raw.lstrip(" "))
        return 0
