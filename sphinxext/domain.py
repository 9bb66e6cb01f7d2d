"""The ``support`` domain: roles, request types, SLA targets, processes, templates, team
members and rotations."""

from __future__ import annotations

from collections.abc import Iterable, Set
from typing import Any, ClassVar, cast

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.domains.std import StandardDomain
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from support_policy.handbook.targets import SHOWN_IN_MANY_PLACES
from support_policy.policy.diagnostics import Code

from .data import get_data
from .incremental import note_xref
from .warnings import warn

#: object type → (label in the index, prefix of node ids)
OBJECT_TYPES: dict[str, str] = {
    "role": "support role",
    "request-type": "request type",
    "sla": "SLA target",
    "process": "support process",
    "template": "response template",
    "member": "team member",
    "rotation": "rotation",
}


# docname, node id, display name, line of the directive (for duplicate warnings)
ObjectEntry = tuple[str, str, str, int]


def node_id_for(objtype: str, key: str) -> str:
    """The target of one object: distinct per type, so a process and an SLA may share a key.

    It is also a std label (see the directives' ``anchor``), which is what MyST ``[](…)``,
    ``{ref}``, ``{any}`` and intersphinx find without naming the type.
    """
    return f"support-{objtype}-{key}"


def warn_unknown_target(app: Sphinx, domain: Domain | None, node: pending_xref) -> bool | None:
    """``warn-missing-reference``: our dangling references carry our type and a code.

    Sphinx would report them as ``ref.<type>``, the type of the site's own references, so a
    site could not silence ours alone. Links the directives make with ``refwarn`` off
    point at entries that may be rendered nowhere: they stay plain text, quietly, even
    with ``nitpicky``.
    """
    if domain is None or domain.name != "support":
        # A glossary term linked from policy text (a std reference): quiet like ours.
        return True if node.get("support_policy_text") else None
    data = get_data(app.env)
    if data is None or data.loaded is None or data.loaded.policy is None:
        # Sphinx runs every listener of this event: `quiet_after_failed_load` answering
        # first does not stop this one, so it keeps quiet by itself (the load was reported).
        return True
    if node.get("refwarn"):
        label = OBJECT_TYPES.get(node.get("reftype", ""), "support object")
        warn(Code.UNKNOWN_TARGET, f"unknown {label}: {node['reftarget']}", node)
    return True


class SupportXRefRole(XRefRole):
    """A cross-reference to a policy object; its page is re-written when the target moves."""

    def result_nodes(
        self,
        document: nodes.document,
        env: BuildEnvironment,
        node: Element,
        is_ref: bool,
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        note_xref(env, node["reftype"], node["reftarget"])
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
    data_version = 3  # 2: every defining page is kept, with its line; 3: members, rotations

    @property
    def objects(self) -> dict[str, dict[str, list[ObjectEntry]]]:
        """Object type → key → every page that defines it (normally one)."""
        objects: dict[str, dict[str, list[ObjectEntry]]] = self.data["objects"]
        return objects

    def note_object(self, objtype: str, key: str, node_id: str, display: str, line: int) -> None:
        entry = (self.env.current_document.docname, node_id, display, line)
        self.objects.setdefault(objtype, {}).setdefault(key, []).append(entry)

    def target(self, objtype: str, key: str) -> ObjectEntry | None:
        """Where links to ``key`` go: of several defining pages, the first by name."""
        entries = self.objects.get(objtype, {}).get(key)
        return min(entries) if entries else None

    def label_targets(self) -> None:
        """Point each object's std label (``{ref}``, ``[](#support-sla-triage)``) where
        :meth:`target` points the domain's own links.

        Called once the environment is complete: pages label their objects while they are
        read, but Sphinx's std domain keeps the last page merged on a parallel read, so
        ``-j 1`` and ``-j N`` would disagree for an object shown on several pages.
        """
        std = cast("StandardDomain", self.env.get_domain("std"))
        for objtype, entries in self.objects.items():
            for key in entries:
                entry = self.target(objtype, key)
                if entry is None:
                    continue
                docname, node_id, display, _ = entry
                std.labels[node_id] = (docname, node_id, display)
                std.anonlabels[node_id] = (docname, node_id)

    def warn_duplicates(self) -> None:
        """Warn each page that defines an object another page defines first.

        Called once the environment is complete (serial reads and parallel merges alike),
        and judged from the whole set of definitions rather than the order pages arrive
        in, so ``-j 1`` and ``-j N`` give the same warnings. Sphinx's own domains overwrite
        silently on a parallel merge.
        """
        for objtype, entries in self.objects.items():
            if objtype in SHOWN_IN_MANY_PLACES:
                continue
            for key, definitions in sorted(entries.items()):
                first, *others = sorted(definitions)
                for other in others:
                    if other[0] == first[0]:
                        continue  # the same page: warned while it was read
                    warn(
                        Code.DUPLICATE_TARGET,
                        f"duplicate {OBJECT_TYPES[objtype]} `{key}`, also in {first[0]}; "
                        "use :no-index: on one of them",
                        (other[0], other[3]),
                    )

    def clear_doc(self, docname: str) -> None:
        for entries in self.objects.values():
            for key, definitions in list(entries.items()):
                kept = [entry for entry in definitions if entry[0] != docname]
                if kept:
                    entries[key] = kept
                else:
                    del entries[key]

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for objtype, entries in otherdata["objects"].items():
            mine = self.objects.setdefault(objtype, {})
            for key, definitions in entries.items():
                merged = [tuple(entry) for entry in definitions if entry[0] in docnames]
                if merged:
                    mine.setdefault(key, []).extend(merged)

    def _refnode(
        self,
        builder: Builder,
        fromdocname: str,
        entry: ObjectEntry,
        node: pending_xref,
        contnode: Element,
    ) -> nodes.reference:
        docname, node_id, display, _ = entry
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
        entry = self.target(typ, target)
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
            entry = self.target(objtype, target)
            if entry is not None:
                refnode = self._refnode(builder, fromdocname, entry, node, contnode)
                results.append((f"{self.name}:{objtype}", refnode))
        return results

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        for objtype in OBJECT_TYPES:
            for key in sorted(self.objects.get(objtype, {})):
                entry = self.target(objtype, key)
                assert entry is not None  # keys without definitions are removed
                docname, node_id, display, _ = entry
                yield key, display, objtype, docname, node_id, 1
