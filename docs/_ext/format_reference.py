"""Docs-local Sphinx extension: the policy-format reference, generated from the models.

``format-reference`` walks :class:`support_policy.policy.models.Policy` (pydantic v2:
``model_fields``, ``FieldInfo.annotation``/``metadata``/``description``, defaults,
required-ness) and builds one section per model with a table of its keys.
``diagnostic-codes`` lists every :class:`~support_policy.policy.diagnostics.Code`.

Both build standard docutils nodes directly: no raw HTML, no generated markup that is
parsed again. The JSON Schema that editors load is published next to the pages, at
``_static/support-policy.schema.json``, from the same models.
"""

from __future__ import annotations

import datetime
import re
import types
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Union

from docutils import nodes
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from support_policy.policy import diagnostics, models
from support_policy.policy import types as policy_types
from support_policy.policy.fielddocs import field_docs

WEEKDAYS = set(policy_types.WEEKDAYS)
SCHEMA_NAME = "support-policy.schema.json"


# --- Inline text -------------------------------------------------------------------


def inline_text(text: str) -> list[nodes.Node]:
    """Docstring text to nodes: `backticked` runs become literals, the rest plain text."""
    result: list[nodes.Node] = []
    for index, part in enumerate(re.split(r"`([^`]*)`", " ".join(text.split()))):
        if not part:
            continue
        result.append(nodes.literal(part, part) if index % 2 else nodes.Text(part))
    return result


def paragraph(*children: nodes.Node | str) -> nodes.paragraph:
    para = nodes.paragraph()
    for child in children:
        para += nodes.Text(child) if isinstance(child, str) else child
    return para


def literal(text: str) -> nodes.literal:
    return nodes.literal(text, text)


# --- Types ---------------------------------------------------------------------------


def _flatten(metadata: Any) -> list[Any]:
    """Constraints, with those nested in a ``FieldInfo`` (``Annotated[int, Field(ge=1)]``)."""
    flat: list[Any] = []
    for item in metadata:
        if isinstance(item, FieldInfo):
            flat.extend(_flatten(item.metadata))
        else:
            flat.append(item)
    return flat


def _validator_funcs(metadata: list[Any]) -> set[Any]:
    return {getattr(item, "func", None) for item in metadata}


def _bound(metadata: list[Any]) -> str:
    for item in metadata:
        for attr, sign in (("gt", ">"), ("ge", "≥")):
            value = getattr(item, attr, None)
            if value is not None:
                return f" {sign} {value}"
    return ""


def _min_length(metadata: list[Any]) -> int | None:
    for item in metadata:
        if type(item).__name__ == "MinLen":
            return int(item.min_length)
    return None


class TypeWriter:
    """Describes an annotation as inline nodes, linking nested models to their sections."""

    def __init__(self, section_ids: dict[type[BaseModel], str]) -> None:
        self.section_ids = section_ids

    def model_link(self, model: type[BaseModel], text: str) -> nodes.Node:
        refid = self.section_ids.get(model)
        if refid is None:
            return nodes.Text(text)
        ref = nodes.reference("", "", internal=True, refid=refid)
        ref += nodes.Text(text)
        return ref

    def describe(self, annotation: Any, metadata: Any = ()) -> list[nodes.Node]:
        meta = _flatten(metadata)
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)

        if origin is typing.Annotated:
            return self.describe(args[0], [*meta, *annotation.__metadata__])
        if origin in (Union, types.UnionType):
            options = [arg for arg in args if arg is not type(None)]
            result: list[nodes.Node] = []
            for index, option in enumerate(options):
                if index:
                    result.append(nodes.Text(" or "))
                result.extend(self.describe(option, meta if len(options) == 1 else ()))
            return result
        if origin is Literal:
            if set(args) == WEEKDAYS:
                return [
                    nodes.Text("weekday ("),
                    literal("monday"),
                    nodes.Text(" … "),
                    literal("sunday"),
                    nodes.Text(")"),
                ]
            result = []
            for index, value in enumerate(args):
                if index:
                    result.append(nodes.Text(" | "))
                result.append(literal(str(value)))
            return result
        if origin is list:
            (item,) = args
            if isinstance(item, type) and issubclass(item, BaseModel):
                result = [nodes.Text("list of "), self.model_link(item, "objects")]
            else:
                result = [nodes.Text("list of "), *self.describe(item)]
            minimum = _min_length(meta)
            if minimum:
                result.append(nodes.Text(f" (at least {minimum})"))
            return result
        if origin is dict:
            key, value = args
            result = [nodes.Text("mapping "), *self.describe(key), nodes.Text(" → ")]
            if isinstance(value, type) and issubclass(value, BaseModel):
                result.append(self.model_link(value, "object"))
            else:
                result.extend(self.describe(value))
            minimum = _min_length(meta)
            if minimum:
                result.append(nodes.Text(f" (at least {minimum} entry)"))
            return result
        if origin is tuple:
            parts = [self.describe(arg) for arg in args]
            result = [nodes.Text("[")]
            for index, part in enumerate(parts):
                if index:
                    result.append(nodes.Text(", "))
                result.extend(part)
            result.append(nodes.Text("] (min, max)"))
            return result
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return [self.model_link(annotation, "object")]
        return [nodes.Text(self.scalar(annotation, meta))]

    def scalar(self, annotation: Any, meta: list[Any]) -> str:
        funcs = _validator_funcs(meta)
        if annotation is policy_types.Duration or policy_types.parse_duration in funcs:
            return "duration"
        if policy_types.parse_share in funcs:
            return "share (percentage or fraction)"
        if policy_types.check_timezone in funcs:
            return "IANA time zone"
        for item in meta:
            pattern = getattr(item, "pattern", None)
            if pattern == policy_types.ID_PATTERN:
                return "id"
            if pattern == policy_types.VARIABLE_PATTERN:
                return "variable name"
            if pattern == policy_types.EMAIL_PATTERN:
                return "e-mail address"
        if annotation is str:
            return "text (non-empty)" if any(getattr(m, "min_length", 0) for m in meta) else "text"
        if annotation is bool:
            return "boolean (true / false)"
        if annotation is int:
            return "integer" + _bound(meta)
        if annotation is Decimal:
            return "number" + _bound(meta)
        if annotation is datetime.date:
            return "date (YYYY-MM-DD)"
        return getattr(annotation, "__name__", str(annotation))


# --- Defaults ------------------------------------------------------------------------


def yaml_text(value: Any) -> str:
    """A default value as it would be written in YAML (flow style)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(yaml_text(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {yaml_text(v)}" for k, v in value.items()) + "}"
    return str(value)


def presence(field: FieldInfo) -> list[nodes.Node]:
    if field.is_required():
        return [nodes.strong("required", "required")]
    factory = field.default_factory
    default = factory() if factory is not None else field.default  # type: ignore[call-arg]
    if default is None or default is PydanticUndefined:
        return [nodes.Text("optional")]
    return [nodes.Text("default "), literal(yaml_text(default))]


# --- The walk ------------------------------------------------------------------------


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        found.extend(_models_in(arg))
    return found


def _child_path(parent: str, key: str, annotation: Any) -> str:
    path = f"{parent}.{key}" if parent else key
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if _models_in(arg):
                return _child_path(parent, key, arg)
    if origin is dict:
        return f"{path}.<id>"
    if origin is list:
        return f"{path}[]"
    return path


def walk(root: type[BaseModel]) -> list[tuple[type[BaseModel], str]]:
    """Every model reachable from ``root`` with its YAML path, each right after its parent."""
    order: list[tuple[type[BaseModel], str]] = []
    seen: set[type[BaseModel]] = set()

    def visit(model: type[BaseModel], path: str) -> None:
        seen.add(model)
        order.append((model, path))
        for key, field in model.model_fields.items():
            for child in _models_in(field.annotation):
                if child not in seen:
                    visit(child, _child_path(path, key, field.annotation))

    visit(root, "")
    return order


def field_description(model: type[BaseModel], key: str, field: FieldInfo) -> str:
    documented = field_docs(model).get(key)
    if documented:
        return documented
    for child in _models_in(field.annotation):
        return child.__doc__ or ""
    return ""


class FormatReference(SphinxDirective):
    """``format-reference``: a section per model of the policy format, each with a table."""

    has_content = False
    required_arguments = 0
    option_spec: typing.ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        for module in (models, policy_types):
            if module.__file__:
                self.env.note_dependency(module.__file__)
        order = walk(models.Policy)
        section_ids = {
            model: self.unique_id("format-" + (nodes.make_id(path) or "top-level"))
            for model, path in order
        }
        writer = TypeWriter(section_ids)
        return [
            self.model_section(model, path, section_ids[model], writer) for model, path in order
        ]

    def unique_id(self, candidate: str) -> str:
        document = self.state.document
        result, counter = candidate, 1
        while result in document.ids:
            counter += 1
            result = f"{candidate}-{counter}"
        return result

    def model_section(
        self, model: type[BaseModel], path: str, section_id: str, writer: TypeWriter
    ) -> nodes.section:
        section = nodes.section(ids=[section_id], names=[section_id])
        self.state.document.ids[section_id] = section
        title_text = path or "Top level"
        title = nodes.title()
        title += literal(title_text) if path else nodes.Text(title_text)
        section += title
        if model.__doc__:
            section += paragraph(*inline_text(model.__doc__))
        section += self.table(model, writer)
        return section

    def table(self, model: type[BaseModel], writer: TypeWriter) -> nodes.table:
        headers = ["Key", "Type", "Required / default", "Description"]
        table = nodes.table(classes=["support-policy-format"])
        group = nodes.tgroup(cols=len(headers))
        table += group
        for width in (14, 24, 16, 46):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        head += self.row([[nodes.Text(h)] for h in headers])
        body = nodes.tbody()
        group += body
        for name, field in model.model_fields.items():
            body += self.row(
                [
                    [literal(field.alias or name)],
                    writer.describe(field.annotation, field.metadata),
                    presence(field),
                    inline_text(field_description(model, name, field)),
                ]
            )
        return table

    @staticmethod
    def row(cells: list[list[nodes.Node]]) -> nodes.row:
        row = nodes.row()
        for content in cells:
            entry = nodes.entry()
            entry += paragraph(*content)
            row += entry
        return row


class DiagnosticCodes(SphinxDirective):
    """``diagnostic-codes``: every stable code, its Sphinx warning subtype and summary."""

    has_content = False
    option_spec: typing.ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        if diagnostics.__file__:
            self.env.note_dependency(diagnostics.__file__)
        headers = ["Code", "Sphinx warning type", "Meaning"]
        table = nodes.table(classes=["support-policy-codes"])
        group = nodes.tgroup(cols=len(headers))
        table += group
        for width in (10, 30, 60):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        head += FormatReference.row([[nodes.Text(h)] for h in headers])
        body = nodes.tbody()
        group += body
        document = self.state.document
        for code in diagnostics.Code:
            row = FormatReference.row(
                [
                    [literal(code.code)],
                    [literal(f"support-policy.{code.subtype}")],
                    [nodes.Text(code.summary)],
                ]
            )
            row_id = code.code.lower()
            if row_id not in document.ids:
                row["ids"].append(row_id)
                document.ids[row_id] = row
            body += row
        return [table]


def publish_schema(app: Sphinx, exception: BaseException | None) -> None:
    """Write the JSON Schema where the ``$schema`` line of a policy file points."""
    if exception is not None or app.builder.format != "html":
        return
    from support_policy.policy.schema import schema_text

    target = Path(app.builder.outdir) / "_static" / SCHEMA_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(schema_text(), encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("format-reference", FormatReference)
    app.add_directive("diagnostic-codes", DiagnosticCodes)
    app.connect("build-finished", publish_schema)
    return {
        "version": "1",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
