"""The published JSON Schema (Draft 2020-12), generated from the models.

Editors use it for completion (the ``# yaml-language-server: $schema=…`` line); other
tools can validate against it. It covers the shape of the file; the cross-section
invariants (references, rotation arithmetic, the budget formula) need
``support-policy validate``.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from . import models
from .fielddocs import field_docs
from .models import Policy

SCHEMA_ID = "https://support-policy.readthedocs.io/en/latest/_static/support-policy.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def policy_schema() -> dict[str, Any]:
    schema = Policy.model_json_schema(mode="validation")
    _describe_fields(schema)
    _close_id_mappings(schema)
    return {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        **schema,
        "title": "support-policy policy file, format version 1",
    }


def schema_text() -> str:
    """The schema as stable, pretty-printed JSON (byte-identical across runs)."""
    return json.dumps(policy_schema(), indent=2, ensure_ascii=False) + "\n"


def _describe_fields(schema: dict[str, Any]) -> None:
    """Each model's field docstrings become the descriptions of its properties."""
    definitions: dict[str, Any] = schema.get("$defs", {})
    for model in _models():
        target = schema if model is Policy else definitions.get(model.__name__)
        if target is None:
            continue
        properties: dict[str, Any] = target.get("properties", {})
        for name, doc in field_docs(model).items():
            key = model.model_fields[name].alias or name
            if key in properties:
                properties[key]["description"] = doc


def _models() -> list[type[BaseModel]]:
    """Every model of the format, whichever section module defines it."""
    found: list[type[BaseModel]] = []
    pending: list[type[BaseModel]] = list(models.Model.__subclasses__())
    while pending:  # bounded: the class hierarchy is finite and acyclic
        model = pending.pop()
        if model not in found:
            found.append(model)
            pending.extend(model.__subclasses__())
    return found


def _close_id_mappings(node: Any) -> None:
    """Id-keyed mappings use ``patternProperties``; a key that fails the pattern is an error."""
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close_id_mappings(value)
    elif isinstance(node, list):
        for value in node:
            _close_id_mappings(value)
