"""The ``support`` domain: roles, request types, SLA targets, processes and templates."""

from __future__ import annotations

from collections.abc import Iterable, Set
from typing import Any, ClassVar

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from support_policy.policy.safe_text import for_terminal

from .config import WARNING_TYPE
from .data import get_data

logger = logging.getLogger(__name__)

#: object type → (label in the index, prefix of node ids)
OBJECT_TYPES: dict[str, str] = {
    "role": "support role",
    "request-type": "request type",
    "sla": "SLA target",
    "process": "support process",
    "template": "response template",
}

# docname, node id, display name
ObjectEntry = tuple[str, str, str]


def node_id_for(objtype: str, key: str) -> str:
    return f"support-{objtype}-{key}"


class SupportXRefRole(XRefRole):
    """A cross-reference whose page depends on the policy (names come from it)."""

    def result_nodes(
        self,
        document: nodes.document,
        env: BuildEnvironment,
        node: Element,
        is_ref: bool,
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        data = get_data(env)
        if data is not None:
            for file in data.dependencies:
                env.note_dependency(file)
        return [node], []


class SupportDomain(Domain):
    """Objects rendered from the support policy, linkable with ``:support:<type>:``."""

    name = "support"
    label = "Support policy"
    object_types: ClassVar[dict[str, ObjType]] = {
        objtype: ObjType(label, objtype) for objtype, label in OBJECT_TYPES.items()
    }
    roles: ClassVar[dict[str, Any]] = {
        objtype: SupportXRefRole(innernodeclass=nodes.inline, warn_dangling=True)
        for objtype in OBJECT_TYPES
    }
    initial_data: ClassVar[dict[str, Any]] = {"objects": {t: {} for t in OBJECT_TYPES}}
    data_version = 1
    dangling_warnings: ClassVar[dict[str, str]] = {
        objtype: f"unknown {label}: %(target)s" for objtype, label in OBJECT_TYPES.items()
    }

    @property
    def objects(self) -> dict[str, dict[str, ObjectEntry]]:
        objects: dict[str, dict[str, ObjectEntry]] = self.data["objects"]
        return objects

    def note_object(
        self, objtype: str, key: str, node_id: str, display: str, location: Any
    ) -> None:
        entries = self.objects.setdefault(objtype, {})
        if key in entries and entries[key][0] != self.env.current_document.docname:
            logger.warning(
                "duplicate %s `%s`, also in %s; use :no-index: on one of them",
                OBJECT_TYPES[objtype],
                for_terminal(key),
                entries[key][0],
                location=location,
                type=WARNING_TYPE,
                subtype="duplicate",
            )
        entries[key] = (self.env.current_document.docname, node_id, display)

    def clear_doc(self, docname: str) -> None:
        for entries in self.objects.values():
            for key, entry in list(entries.items()):
                if entry[0] == docname:
                    del entries[key]

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for objtype, entries in otherdata["objects"].items():
            mine = self.objects.setdefault(objtype, {})
            for key, entry in entries.items():
                if entry[0] in docnames:
                    mine[key] = entry

    def _refnode(
        self,
        builder: Builder,
        fromdocname: str,
        entry: ObjectEntry,
        node: pending_xref,
        contnode: Element,
    ) -> nodes.reference:
        docname, node_id, display = entry
        if not node.get("refexplicit", False):
            contnode = nodes.inline(display, display, classes=contnode.get("classes", []))
        return make_refnode(builder, fromdocname, docname, node_id, contnode, display)

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> nodes.reference | None:
        entry = self.objects.get(typ, {}).get(target)
        if entry is None:
            return None
        return self._refnode(builder, fromdocname, entry, node, contnode)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        results: list[tuple[str, nodes.reference]] = []
        for objtype in OBJECT_TYPES:
            entry = self.objects.get(objtype, {}).get(target)
            if entry is not None:
                refnode = self._refnode(builder, fromdocname, entry, node, contnode)
                results.append((f"{self.name}:{objtype}", refnode))
        return results

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        for objtype in OBJECT_TYPES:
            for key, (docname, node_id, display) in sorted(self.objects.get(objtype, {}).items()):
                yield key, display, objtype, docname, node_id, 1
