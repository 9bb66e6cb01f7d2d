"""The ``support-*`` directives: standard docutils nodes built straight from the model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.domains.std import StandardDomain, make_glossary_term
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import OptionSpec

from support_policy.policy.budget import derivation
from support_policy.policy.checks import suggest
from support_policy.policy.diagnostics import Code
from support_policy.policy.facts import EntryLoc, GlossaryEntry, glossary_entries
from support_policy.policy.loader import LoadedPolicy
from support_policy.policy.models import Policy, Step
from support_policy.policy.references import render_text

from .data import get_data
from .domain import OBJECT_TYPES, SupportDomain, node_id_for
from .incremental import note_policy_use
from .nodes_util import bullets, enumerated, join, labelled, link, para, table, target, xref
from .warnings import warn

SLA_KINDS = {"within": "deadline", "effort": "effort", "after": "no-reply close"}


class SupportDirective(SphinxDirective):
    """Shared behaviour: find the policy, note the dependency, ``:no-index:``, warnings."""

    has_content = False
    required_arguments = 0
    optional_arguments = 0
    option_spec: ClassVar[OptionSpec] = {"no-index": directives.flag}

    loaded: LoadedPolicy
    policy: Policy

    @property
    def indexed(self) -> bool:
        return "no-index" not in self.options

    def run(self) -> list[nodes.Node]:
        data = get_data(self.env)
        note_policy_use(self.env)
        if data is None:
            self.warn(Code.NOT_RENDERED, "the support policy could not be loaded; nothing rendered")
            return []
        if data.loaded is None or data.loaded.policy is None:
            # Already reported once for the whole build, when the policy was loaded;
            # one warning per directive would bury that one under copies.
            return []
        self.loaded = data.loaded
        self.policy = data.loaded.policy
        content = self.render()
        if not content:
            return []
        container = nodes.container(classes=["support-policy", self.name])
        container.extend(content)
        self.set_source_info(container)
        return [container]

    def render(self) -> list[nodes.Node]:
        raise NotImplementedError

    # -- helpers -------------------------------------------------------------------------

    def warn(self, code: Code, message: str) -> None:
        warn(code, message, self.get_location())

    def missing(self, section: str) -> list[nodes.Node]:
        self.warn(Code.MISSING_SECTION, f"the support policy has no `{section}` section")
        return []

    def unknown(self, kind: str, key: str, known: Sequence[str]) -> list[nodes.Node]:
        self.warn(Code.UNRESOLVED_REFERENCE, f"unknown {kind} `{key}`{suggest(key, list(known))}")
        return []

    def fill(self, text: str) -> str:
        """Policy text with ``{{ policy.… }}`` values filled in; still plain text."""
        return render_text(self.policy, text)

    def anchor(self, objtype: str, key: str, display: str) -> list[nodes.Node]:
        """Target, domain object and index entry, unless ``:no-index:``."""
        if not self.indexed:
            return []
        node_id = node_id_for(objtype, key)
        document = self.state.document
        if node_id in document.ids:
            self.warn(
                Code.DUPLICATE_ON_PAGE,
                f"{OBJECT_TYPES[objtype]} `{key}` appears twice on this page",
            )
            return []
        node = target(node_id)
        self.set_source_info(node)
        document.set_id(node)
        domain = cast("SupportDomain", self.env.get_domain("support"))
        domain.note_object(objtype, key, node_id, display, self.lineno)
        # A std label too: `[](support-sla-triage)`, `{ref}`, `{any}` and intersphinx reach
        # this very object even when a process is also called `triage`.
        std = cast("StandardDomain", self.env.get_domain("std"))
        docname = self.env.current_document.docname
        std.labels[node_id] = (docname, node_id, display)
        std.anonlabels[node_id] = (docname, node_id)
        index = addnodes.index(
            entries=[("single", f"{display} ({OBJECT_TYPES[objtype]})", node_id, "", None)]
        )
        return [index, node]

    def link_to(self, objtype: str, key: str, display: str) -> nodes.Node:
        node = xref("support", objtype, key, display, self.env.current_document.docname)
        node["refwarn"] = False  # the target may be rendered nowhere; then it is plain text
        return node


class RolesDirective(SupportDirective):
    optional_arguments = 1

    def render(self) -> list[nodes.Node]:
        roles = self.policy.roles
        keys = list(roles)
        if self.arguments:
            if self.arguments[0] not in roles:
                return self.unknown("role", self.arguments[0], keys)
            keys = [self.arguments[0]]
        result: list[nodes.Node] = []
        for key in keys:
            role = roles[key]
            block = nodes.container(classes=["support-role"])
            block.extend(self.anchor("role", key, role.name))
            block += nodes.rubric(text=role.name)
            if role.aliases:
                block += labelled("Also called", ", ".join(role.aliases))
            if role.description:
                block += para(self.fill(role.description))
            if role.responsibilities:
                block += labelled("Responsibilities")
                block += bullets(self.fill(item) for item in role.responsibilities)
            result.append(block)
        return result


class RequestTypesDirective(SupportDirective):
    def render(self) -> list[nodes.Node]:
        if not self.policy.request_types:
            return self.missing("request_types")
        result: list[nodes.Node] = []
        for key, kind in self.policy.request_types.items():
            block = nodes.container(classes=["support-request-type"])
            block.extend(self.anchor("request-type", key, kind.name))
            block += nodes.rubric(text=kind.name)
            block += labelled("Definition", self.fill(kind.definition))
            if kind.description:
                block += para(self.fill(kind.description))
            if kind.examples:
                block += labelled("Examples")
                block += bullets(self.fill(example) for example in kind.examples)
            budget = "applies" if kind.uses_budget else "does not apply"
            block += labelled("Support budget", budget)
            result.append(block)
        return result


class SlaDirective(SupportDirective):
    def render(self) -> list[nodes.Node]:
        if not self.policy.sla:
            return self.missing("sla")
        rows: list[list[str | nodes.Node | list[nodes.Node]]] = []
        for key, sla in self.policy.sla.items():
            first: list[nodes.Node] = [*self.anchor("sla", key, sla.name), para(sla.name)]
            rows.append(
                [first, self.applies_to(sla.applies_to), str(sla.duration), SLA_KINDS[sla.kind]]
            )
        return [table(["Target", "Applies to", "How long", "Kind"], rows, widths=[28, 32, 20, 16])]

    def applies_to(self, applies: str | list[str]) -> str:
        if applies == "all":
            return "All requests"
        types = self.policy.request_types
        return ", ".join(types[key].name if key in types else key for key in applies)


class PrioritiesDirective(SupportDirective):
    def render(self) -> list[nodes.Node]:
        priorities = self.policy.priorities
        if priorities is None:
            return self.missing("priorities")
        result: list[nodes.Node] = []
        if priorities.description:
            result.append(para(self.fill(priorities.description)))
        if priorities.applies_to != "all":
            types = self.policy.request_types
            names = [
                types[k].plural or types[k].name if k in types else k for k in priorities.applies_to
            ]
            result.append(labelled("Applies to", ", ".join(names)))
        result.append(
            enumerated(nodes.list_item("", para(self.fill(item))) for item in priorities.order)
        )
        if priorities.consult:
            roles = self.policy.roles
            links = [
                self.link_to("role", key, roles[key].name) if key in roles else key
                for key in priorities.consult
            ]
            result.append(labelled("Consult", *join(links)))
        if priorities.guidelines:
            result.append(labelled("Guidelines"))
            result.append(bullets(self.fill(item) for item in priorities.guidelines))
        return result


class BudgetDirective(SupportDirective):
    def render(self) -> list[nodes.Node]:
        budget = self.policy.budget
        if budget is None:
            return self.missing("budget")
        per_engineer, per_community = derivation(budget)
        result: list[nodes.Node] = [labelled("Per engineer", per_engineer)]
        if per_community is not None:
            result.append(labelled("Per community", per_community))
        if budget.description:
            result.append(para(self.fill(budget.description)))
        return result


class ChannelsDirective(SupportDirective):
    def render(self) -> list[nodes.Node]:
        if not self.policy.channels:
            return self.missing("channels")
        result: list[nodes.Node] = []
        for channel in self.policy.channels.values():
            block = nodes.container(classes=["support-channel"])
            block += nodes.rubric(text=channel.name)
            block += labelled("Kind", channel.kind)
            block += labelled("Audience", channel.audience)
            block += labelled("Visibility", channel.visibility)
            if channel.purpose:
                block += para(self.fill(channel.purpose))
            if channel.url:
                block += labelled("URL", link(channel.url))
            if channel.address:
                address = channel.address
                block += labelled(
                    "Address", nodes.reference(address, address, refuri=f"mailto:{address}")
                )
            if channel.label:
                block += labelled("Label", nodes.literal(channel.label, channel.label))
            result.append(block)
        return result


class TemplateDirective(SupportDirective):
    optional_arguments = 1

    def render(self) -> list[nodes.Node]:
        templates = self.policy.templates
        if not templates:
            return self.missing("templates")
        keys = list(templates)
        if self.arguments:
            if self.arguments[0] not in templates:
                return self.unknown("template", self.arguments[0], keys)
            keys = [self.arguments[0]]
        result: list[nodes.Node] = []
        for key in keys:
            template = templates[key]
            block = nodes.container(classes=["support-template"])
            block.extend(self.anchor("template", key, template.name))
            block += nodes.rubric(text=template.name)
            if template.description:
                block += para(self.fill(template.description))
            if template.channel:
                channel = self.policy.channels.get(template.channel)
                block += labelled("Channel", channel.name if channel else template.channel)
            text = self.fill(self.loaded.template_texts.get(key, "")).rstrip("\n")
            body = nodes.literal_block(text, text, classes=["support-template-body"])
            body["language"] = "text"
            block += body
            if template.variables:
                names: list[str | nodes.Node] = [
                    nodes.literal(f"{{{{ {v} }}}}", f"{{{{ {v} }}}}") for v in template.variables
                ]
                block += labelled("Variables", *join(names))
            result.append(block)
        return result


class ProcessDirective(SupportDirective):
    required_arguments = 1

    def render(self) -> list[nodes.Node]:
        key = self.arguments[0]
        process = self.policy.processes.get(key)
        if process is None:
            return self.unknown("process", key, list(self.policy.processes))
        result: list[nodes.Node] = [*self.anchor("process", key, process.name)]
        result.append(nodes.rubric(text=process.name))
        if process.owner:
            result.append(labelled("Owner", self.role_link(process.owner)))
        if process.description:
            result.append(para(self.fill(process.description)))
        result.append(self.steps(process.steps, 0))
        return result

    def role_link(self, key: str) -> nodes.Node:
        role = self.policy.roles.get(key)
        return self.link_to("role", key, role.name if role else key)

    def steps(self, steps: list[Step], depth: int) -> nodes.enumerated_list:
        listing = enumerated(self.step(step, depth) for step in steps)
        if depth % 2:
            listing["enumtype"] = "loweralpha"
        return listing

    def step(self, step: Step, depth: int) -> nodes.list_item:
        item = nodes.list_item()
        item += para(nodes.strong(text=self.fill(step.name)))
        if step.owner:
            # Only a step's own owner is shown: the others are the process's, said above.
            item += labelled("Who", self.role_link(step.owner))
        if step.description:
            item += para(self.fill(step.description))
        if step.sla:
            sla = self.policy.sla.get(step.sla)
            if sla is not None:
                item += labelled(
                    "Time target", f"{sla.duration} (", self.link_to("sla", step.sla, sla.name), ")"
                )
        if step.template:
            template = self.policy.templates.get(step.template)
            name = template.name if template else step.template
            item += labelled("Response template", self.link_to("template", step.template, name))
        if step.process:
            process = self.policy.processes.get(step.process)
            name = process.name if process else step.process
            item += labelled("Continue with", self.link_to("process", step.process, name))
        if step.steps:
            item += self.steps(step.steps, depth + 1)
        return item


#: The section of a glossary entry → its kind in ``:include:``/``:exclude:`` tokens.
GLOSSARY_KINDS = {"roles": "role", "request_types": "request-type", "glossary": "term"}


class GlossaryDirective(SupportDirective):
    """The glossary, or part of it: ``:include:``/``:exclude:`` take selection tokens.

    A token is an id (``support-steward``: that entry, whatever its kind), ``<kind>:<id>``
    (``term:support-budget``) or ``kind:<kind>`` (``kind:role``: every entry of the kind);
    the kinds are ``role``, ``request-type`` and ``term`` (the ``glossary`` section). Tokens
    are separated by spaces or commas. ``:include:`` keeps only what it selects,
    ``:exclude:`` then leaves out what it selects.
    """

    option_spec: ClassVar[OptionSpec] = {
        **SupportDirective.option_spec,
        # Read as text and checked in `render`: a bad token is a coded warning, not a
        # docutils error the site could not silence apart from its own.
        "include": directives.unchanged,
        "exclude": directives.unchanged,
    }

    def selected(self, entries: list[GlossaryEntry]) -> list[GlossaryEntry]:
        chosen = list(entries)
        for option in ("include", "exclude"):
            text = self.options.get(option)
            if text is None:
                continue
            picked: set[EntryLoc] = set()
            for token in text.replace(",", " ").split():
                matches = [entry.loc for entry in entries if _selects(token, entry.loc)]
                if not matches:
                    self.warn_token(option, token, entries)
                picked.update(matches)
            keep = option == "include"
            chosen = [entry for entry in chosen if (entry.loc in picked) == keep]
        return chosen

    def warn_token(self, option: str, token: str, entries: list[GlossaryEntry]) -> None:
        known = [
            *(f"kind:{kind}" for kind in GLOSSARY_KINDS.values()),
            *(entry.loc[1] for entry in entries),
            *(f"{GLOSSARY_KINDS[entry.loc[0]]}:{entry.loc[1]}" for entry in entries),
        ]
        self.warn(
            Code.GLOSSARY_SELECTION,
            f"`:{option}: {token}` selects no glossary entry{suggest(token, known)}",
        )

    def render(self) -> list[nodes.Node]:
        glossary = addnodes.glossary(sorted=False)
        listing = nodes.definition_list(classes=["glossary"])
        glossary += listing
        source, line = self.get_source_info()
        seen: set[str] = set()
        for entry in self.selected(glossary_entries(self.policy)):
            item = nodes.definition_list_item()
            for name in entry.terms:
                if name.casefold() in seen:
                    continue
                seen.add(name.casefold())
                if self.indexed:
                    item += make_glossary_term(
                        self.env,
                        [nodes.Text(name)],
                        None,
                        source or "",
                        line or 0,
                        None,
                        self.state.document,
                    )
                else:
                    item += nodes.term(name, name)
            if len(item) == 0:
                continue
            item += nodes.definition("", para(self.fill(entry.definition)))
            listing += item
        return [glossary]


def _selects(token: str, loc: EntryLoc) -> bool:
    section, key = loc
    kind = GLOSSARY_KINDS[section]
    if token.startswith("kind:"):
        return token[len("kind:") :] == kind
    if ":" in token:
        return token == f"{kind}:{key}"
    return token == key


DIRECTIVES: dict[str, type[SupportDirective]] = {
    "support-roles": RolesDirective,
    "support-request-types": RequestTypesDirective,
    "support-sla": SlaDirective,
    "support-priorities": PrioritiesDirective,
    "support-budget": BudgetDirective,
    "support-channels": ChannelsDirective,
    "support-template": TemplateDirective,
    "support-process": ProcessDirective,
    "support-glossary": GlossaryDirective,
}
