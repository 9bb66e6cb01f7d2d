"""What the policy sections show: roles, request types, SLA targets, priorities, budget,
channels and response templates (``support-roles`` … ``support-template``)."""

from __future__ import annotations

from support_policy.policy.budget import derivation
from support_policy.policy.models import Channel, Policy
from support_policy.policy.references import render_text

from .blocks import (
    bullets,
    heading,
    joined,
    labelled,
    missing,
    para,
    ref,
    text,
    text_cell,
    unknown,
    url_or_code,
    with_policy,
)
from .model import (
    Anchor,
    Block,
    Cell,
    Container,
    EnumeratedList,
    Inline,
    InlineCode,
    Link,
    LiteralBlock,
    Paragraph,
    Rendered,
    Request,
    Table,
    Text,
)
from .prose import prose

SLA_KINDS = {"within": "deadline", "effort": "effort", "after": "no-reply close"}


@with_policy
def roles(request: Request, policy: Policy) -> Rendered:
    """Every role, or the one the argument names."""
    keys = list(policy.roles)
    if request.argument is not None:
        if request.argument not in policy.roles:
            return unknown("role", request.argument, keys)
        keys = [request.argument]
    blocks: list[Block] = []
    for key in keys:
        role = policy.roles[key]
        shown: list[Block] = [Anchor("role", key, role.name), *heading(request, role.name)]
        if role.aliases:
            shown.append(labelled("Also called", Text(", ".join(role.aliases))))
        if role.description:
            shown.append(Paragraph(prose(policy, role.description)))
        if role.responsibilities:
            shown.append(labelled("Responsibilities"))
            shown.append(bullets(prose(policy, item) for item in role.responsibilities))
        blocks.append(Container(("support-role",), tuple(shown)))
    return Rendered(tuple(blocks))


@with_policy
def request_types(request: Request, policy: Policy) -> Rendered:
    if not policy.request_types:
        return missing("request_types")
    blocks: list[Block] = []
    for key, kind in policy.request_types.items():
        shown: list[Block] = [Anchor("request-type", key, kind.name), *heading(request, kind.name)]
        shown.append(labelled("Definition", *prose(policy, kind.definition)))
        if kind.description:
            shown.append(Paragraph(prose(policy, kind.description)))
        if kind.examples:
            shown.append(labelled("Examples"))
            shown.append(bullets(prose(policy, example) for example in kind.examples))
        budget = "applies" if kind.uses_budget else "does not apply"
        shown.append(labelled("Support budget", Text(budget)))
        blocks.append(Container(("support-request-type",), tuple(shown)))
    return Rendered(tuple(blocks))


@with_policy
def sla(request: Request, policy: Policy) -> Rendered:
    if not policy.sla:
        return missing("sla")
    rows: list[tuple[Cell, ...]] = []
    for key, target in policy.sla.items():
        first = Cell((Anchor("sla", key, target.name), para(*text(target.name))))
        applies = _applies_to(policy, target.applies_to)
        rows.append(
            (
                first,
                text_cell(applies),
                text_cell(str(target.duration)),
                text_cell(SLA_KINDS[target.kind]),
            )
        )
    header = ("Target", "Applies to", "How long", "Kind")
    return Rendered((Table(header, tuple(rows), widths=(28, 32, 20, 16)),))


def _applies_to(policy: Policy, applies: str | list[str]) -> str:
    if applies == "all":
        return "All requests"
    types = policy.request_types
    return ", ".join(types[key].name if key in types else key for key in applies)


@with_policy
def priorities(request: Request, policy: Policy) -> Rendered:
    found = policy.priorities
    if found is None:
        return missing("priorities")
    blocks: list[Block] = []
    if found.description:
        blocks.append(Paragraph(prose(policy, found.description)))
    if found.applies_to != "all":
        types = policy.request_types
        names = [types[k].plural or types[k].name if k in types else k for k in found.applies_to]
        blocks.append(labelled("Applies to", Text(", ".join(names))))
    blocks.append(EnumeratedList(tuple((Paragraph(prose(policy, item)),) for item in found.order)))
    if found.consult:
        roles = policy.roles
        links: list[Inline] = [
            ref("role", key, roles[key].name) if key in roles else Text(key)
            for key in found.consult
        ]
        blocks.append(labelled("Consult", *joined(links)))
    if found.guidelines:
        blocks.append(labelled("Guidelines"))
        blocks.append(bullets(prose(policy, item) for item in found.guidelines))
    return Rendered(tuple(blocks))


@with_policy
def budget(request: Request, policy: Policy) -> Rendered:
    found = policy.budget
    if found is None:
        return missing("budget")
    per_engineer, per_community = derivation(found)
    blocks: list[Block] = [labelled("Per engineer", Text(per_engineer))]
    if per_community is not None:
        blocks.append(labelled("Per community", Text(per_community)))
    if found.description:
        blocks.append(Paragraph(prose(policy, found.description)))
    return Rendered(tuple(blocks))


@with_policy
def channels(request: Request, policy: Policy) -> Rendered:
    """One table, a row per channel: where to find it, then what it is for, in one cell."""
    if not policy.channels:
        return missing("channels")
    rows = tuple(
        (
            text_cell(channel.name),
            text_cell(channel.kind),
            text_cell(channel.audience),
            text_cell(channel.visibility),
            Cell(_where(channel) + _purpose(policy, channel)),
        )
        for channel in policy.channels.values()
    )
    header = ("Channel", "Kind", "Audience", "Visibility", "Where / purpose")
    table = Table(header, rows, widths=(20, 12, 12, 12, 44), classes=("support-channels",))
    return Rendered((table,))


def _where(channel: Channel) -> tuple[Block, ...]:
    """The channel's URL, address and label, each on its own line."""
    where: list[Block] = []
    if channel.url:
        where.append(labelled("URL", url_or_code(channel.url)))
    if channel.address:
        where.append(labelled("Address", Link(f"mailto:{channel.address}", text(channel.address))))
    if channel.label:
        where.append(labelled("Label", InlineCode(channel.label)))
    return tuple(where)


def _purpose(policy: Policy, channel: Channel) -> tuple[Block, ...]:
    return (Paragraph(prose(policy, channel.purpose)),) if channel.purpose else ()


@with_policy
def template(request: Request, policy: Policy) -> Rendered:
    """Every response template, or the one the argument names, with its text."""
    templates = policy.templates
    if not templates:
        return missing("templates")
    keys = list(templates)
    if request.argument is not None:
        if request.argument not in templates:
            return unknown("template", request.argument, keys)
        keys = [request.argument]
    blocks: list[Block] = []
    for key in keys:
        found = templates[key]
        shown: list[Block] = [Anchor("template", key, found.name), *heading(request, found.name)]
        if found.description:
            shown.append(Paragraph(prose(policy, found.description)))
        if found.channel:
            channel = policy.channels.get(found.channel)
            shown.append(labelled("Channel", Text(channel.name if channel else found.channel)))
        # The template's text, values filled in and its own variables left as written.
        body = render_text(policy, request.loaded.template_texts.get(key, "")).rstrip("\n")
        shown.append(LiteralBlock(body, "text", classes=("support-template-body",)))
        if found.variables:
            names: list[Inline] = [InlineCode(f"{{{{ {v} }}}}") for v in found.variables]
            shown.append(labelled("Variables", *joined(names)))
        blocks.append(Container(("support-template",), tuple(shown)))
    return Rendered(tuple(blocks))
