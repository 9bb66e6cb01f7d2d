"""Read YAML as hostile input, keeping the position of every key and value.

PyYAML composes the node tree (safe: no Python objects are ever constructed from tags);
we then build plain data from the nodes ourselves so that we can

* remember where each value and key stands (for ``path:line:col`` messages),
* refuse duplicate keys, explicit tags, merge keys and non-text keys,
* catch the YAML 1.1 traps (``no`` read as false, ``12:30`` as 750, ``0755`` as 493)
  instead of silently reading them the way YAML 1.1 tools do,
* read decimal numbers as :class:`~decimal.Decimal` (never binary floats),
* bound the work: file size, nesting depth and the nodes that aliases expand to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import (
    CollectionStartEvent,
    ScalarEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from .bounds import MAX_NUMBER_DIGITS, number_too_long
from .diagnostics import Code, Diagnostic
from .yaml_errors import explain
from .yaml_scalars import (
    BOOL,
    NULL,
    NUMBER_START,
    YAML11_BOOL,
    kind_of,
    looks_numeric,
    plain_value,
    yaml11_reading,
)
from .yaml_sourcemap import Loc, SourceMap

__all__ = ["MAX_FILE_BYTES", "Loc", "ParsedYaml", "SourceMap", "decode", "parse"]

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_ALIAS_NODES = 10_000


@dataclass
class ParsedYaml:
    data: Any
    source: SourceMap
    diagnostics: list[Diagnostic]


class _Abort(Exception):
    """Stops reading: the rest of the file cannot be trusted or would cost too much."""

    def __init__(self, code: Code, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column


class _Guard:
    """A composer with a depth guard and a record of explicit tags.

    Mixed into a loader whose parser yields the events; the composing (and so every
    guard) stays ours whichever parser that is.
    """

    depth = 0
    tag_marks: list[tuple[str, int, int]]

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event: Any = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, ScalarEvent | CollectionStartEvent) and event.tag is not None:
            mark: Any = event.start_mark
            self.tag_marks.append((event.tag, mark.line + 1, mark.column + 1))
        if isinstance(event, CollectionStartEvent):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                mark = event.start_mark
                raise _Abort(
                    Code.TOO_DEEP,
                    f"nesting deeper than {MAX_DEPTH} levels",
                    mark.line + 1,
                    mark.column + 1,
                )
        try:
            node: Node | None = super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            if isinstance(event, CollectionStartEvent):
                self.depth -= 1
        return node


class _PureLoader(_Guard, yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.tag_marks = []


_Loader: Callable[[str], Any] = _PureLoader
if yaml.__with_libyaml__:  # pragma: no branch - PyYAML wheels ship libyaml
    from yaml._yaml import CParser

    class _FastLoader(_Guard, Composer, CParser, SafeConstructor, Resolver):
        """libyaml scans and parses (in C); our composer above builds the nodes."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self.tag_marks = []

    _Loader = _FastLoader


def decode(raw: bytes, file: str) -> tuple[str | None, list[Diagnostic]]:
    """Check size and encoding; return the text or the reason it cannot be read."""
    if len(raw) > MAX_FILE_BYTES:
        message = f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,} bytes (1 MiB)"
        return None, [Diagnostic.make(Code.FILE_TOO_LARGE, message, file, 1, 1)]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        message = "file is UTF-16 or UTF-32 (it starts with that byte-order mark); save it as UTF-8"
        return None, [Diagnostic.make(Code.NOT_UTF8, message, file, 1, 1)]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"byte 0x{raw[error.start]:02x} is not valid UTF-8; save the file as UTF-8"
        return None, [Diagnostic.make(Code.NOT_UTF8, message, file, line, column)]


def parse(text: str, file: str) -> ParsedYaml:
    """Compose and build one YAML document; never raises for bad input."""
    source = SourceMap(file=file, text=text)
    diagnostics: list[Diagnostic] = []
    try:
        node = _compose_single(text, file, diagnostics)
        if node is None:
            return ParsedYaml(None, source, diagnostics)
        builder = _Builder(source, diagnostics)
        data = builder.build(node, ())
    except _Abort as abort:
        diagnostics.append(
            Diagnostic.make(abort.code, abort.message, file, abort.line, abort.column)
        )
        return ParsedYaml(None, source, diagnostics)
    except yaml.MarkedYAMLError as error:
        diagnostics.append(_syntax_diagnostic(error, file, text))
        return ParsedYaml(None, source, diagnostics)
    except yaml.reader.ReaderError as error:
        line, column = _offset_position(text, error.position)
        message = f"character {error.character!r} is not allowed in YAML"
        diagnostics.append(Diagnostic.make(Code.YAML_SYNTAX, message, file, line, column))
        return ParsedYaml(None, source, diagnostics)
    except (RecursionError, MemoryError):
        message = "the document is too deeply nested or too large to read"
        diagnostics.append(Diagnostic.make(Code.TOO_DEEP, message, file, 1, 1))
        return ParsedYaml(None, source, diagnostics)
    return ParsedYaml(data, source, diagnostics)


def _compose_single(text: str, file: str, diagnostics: list[Diagnostic]) -> Node | None:
    loader = _Loader(text)
    try:
        loader.get_event()  # the StreamStartEvent
        if loader.check_event(StreamEndEvent):
            message = "the file is empty; a policy starts with `version: 1`"
            diagnostics.append(Diagnostic.make(Code.EMPTY_DOCUMENT, message, file, 1, 1))
            return None
        node: Node = loader.compose_document()
        if not loader.check_event(StreamEndEvent):
            mark = loader.peek_event().start_mark
            message = "a second YAML document starts here; a policy file holds exactly one"
            diagnostics.append(
                Diagnostic.make(
                    Code.MULTIPLE_DOCUMENTS, message, file, mark.line + 1, mark.column + 1
                )
            )
            return None
    finally:
        loader.dispose()
    for tag, line, column in loader.tag_marks:
        message = f"explicit tag `{tag}` is not allowed; policy values are plain YAML"
        diagnostics.append(Diagnostic.make(Code.YAML_TAG, message, file, line, column))
    return node


def _syntax_diagnostic(error: yaml.MarkedYAMLError, file: str, text: str) -> Diagnostic:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = error.problem or "invalid YAML"
    if "maximum nesting depth" in problem:  # libyaml's own, higher, limit
        return Diagnostic.make(
            Code.TOO_DEEP, f"nesting deeper than {MAX_DEPTH} levels", file, line, column
        )
    explained = explain(error, text)
    return Diagnostic.make(
        Code.YAML_SYNTAX, explained.message, file, explained.line, explained.column
    )


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


class _Builder:
    """Turns the node tree into plain data, recording positions and hostile constructs."""

    def __init__(self, source: SourceMap, diagnostics: list[Diagnostic]) -> None:
        self.source = source
        self.diagnostics = diagnostics
        self.alias_nodes = 0
        self.seen: set[int] = set()
        self.active: set[int] = set()

    def error(self, code: Code, message: str, node: Node) -> None:
        mark = node.start_mark
        self.diagnostics.append(
            Diagnostic.make(code, message, self.source.file, mark.line + 1, mark.column + 1)
        )

    def build(self, node: Node, loc: Loc) -> Any:
        node_id = id(node)
        if node_id in self.active:
            raise _abort_at(node, Code.ALIAS_BUDGET, "an alias refers to a node that contains it")
        if node_id in self.seen:
            # Reached again through an alias: count what it expands to.
            self.alias_nodes += 1
            if self.alias_nodes > MAX_ALIAS_NODES:
                message = f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes"
                raise _abort_at(node, Code.ALIAS_BUDGET, message)
        self.seen.add(node_id)
        self.source.values.setdefault(loc, node)
        if isinstance(node, ScalarNode):
            return self.scalar(node, loc)
        self.active.add(node_id)
        try:
            if isinstance(node, SequenceNode):
                return [self.build(item, (*loc, index)) for index, item in enumerate(node.value)]
            if isinstance(node, MappingNode):
                return self.mapping(node, loc)
        finally:
            self.active.discard(node_id)
        raise _abort_at(node, Code.YAML_SYNTAX, "unexpected YAML node")

    def mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node)
            if key is None:
                continue
            if key in first_seen:
                first_line = first_seen[key].start_mark.line + 1
                self.error(
                    Code.DUPLICATE_KEY,
                    f"duplicate key `{key}` (first defined on line {first_line})",
                    key_node,
                )
                continue
            first_seen[key] = key_node
            self.source.keys[(*loc, key)] = key_node
            result[key] = self.build(value_node, (*loc, key))
        return result

    def key(self, node: Node) -> str | None:
        if not isinstance(node, ScalarNode):
            self.error(Code.NON_STRING_KEY, "mapping keys must be plain text", node)
            return None
        if not node.style and node.value == "<<":
            self.error(
                Code.YAML_TAG, "merge keys (`<<`) are not supported; write the keys out", node
            )
            return None
        value = self.scalar(node, None)
        if isinstance(value, str):
            return value
        self.error(
            Code.NON_STRING_KEY,
            f"key `{node.value}` is read as a {kind_of(value)}; keys must be text: quote it "
            f'(`"{node.value}":`)',
            node,
        )
        return None

    def scalar(self, node: ScalarNode, loc: Loc | None) -> Any:
        text: str = node.value
        if node.style:  # quoted or block: always text (libyaml marks plain as "")
            return text
        if loc is not None:
            self.source.from_plain_scalar.add(loc)
        if NULL.match(text):
            return None
        if BOOL.match(text):
            return text.lower() == "true"
        if text[:1] in NUMBER_START and number_too_long(text) and looks_numeric(text):
            # Refused by length before any conversion: int() of thousands of digits is
            # slow, and past 4,300 digits it raises.
            shown = f"`{text}`" if len(text) <= 40 else f"a number of {len(text):,} characters"
            self.error(
                Code.NUMBER_TOO_LONG,
                f"{shown} is longer than {MAX_NUMBER_DIGITS} digits written out; "
                "no policy value needs that many",
                node,
            )
            return text
        trap = yaml11_reading(text)
        if trap is not None:
            self.error(
                Code.YAML11_TRAP,
                f'`{text}` is read as {trap} by YAML 1.1 tools; quote it: `"{text}"`'
                + (
                    f" (or write `{str(text.lower() in ('y', 'yes', 'on')).lower()}` for the "
                    "boolean)"
                    if YAML11_BOOL.match(text)
                    else ""
                ),
                node,
            )
            return text
        return plain_value(text)


def _abort_at(node: Node, code: Code, message: str) -> _Abort:
    mark = node.start_mark
    return _Abort(code, message, mark.line + 1, mark.column + 1)
