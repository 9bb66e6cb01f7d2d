"""What a process shows (``support-process``): its owner, then its steps as nested lists."""

from __future__ import annotations

from support_policy.policy.models import Policy, Step

from .blocks import NOTHING, heading, labelled, ref, unknown, with_policy
from .model import (
    Anchor,
    Block,
    EnumeratedList,
    Inline,
    Paragraph,
    Rendered,
    Request,
    Strong,
    Text,
)
from .prose import prose


@with_policy
def process(request: Request, policy: Policy) -> Rendered:
    key = request.argument
    if key is None:  # reported as a missing argument already
        return NOTHING
    found = policy.processes.get(key)
    if found is None:
        return unknown("process", key, list(policy.processes))
    blocks: list[Block] = [Anchor("process", key, found.name), *heading(request, found.name)]
    if found.owner:
        blocks.append(labelled("Owner", _role(policy, found.owner)))
    if found.description:
        blocks.append(Paragraph(prose(policy, found.description)))
    blocks.append(_steps(policy, found.steps, 0))
    return Rendered(tuple(blocks))


def _role(policy: Policy, key: str) -> Inline:
    role = policy.roles.get(key)
    return ref("role", key, role.name if role else key)


def _steps(policy: Policy, steps: list[Step], depth: int) -> EnumeratedList:
    # Nesting is bounded by the policy reader's depth limit.
    items = tuple(_step(policy, step, depth) for step in steps)
    return EnumeratedList(items, "loweralpha" if depth % 2 else "arabic")


def _step(policy: Policy, step: Step, depth: int) -> tuple[Block, ...]:
    blocks: list[Block] = [Paragraph((Strong(prose(policy, step.name)),))]
    if step.owner:
        # Only a step's own owner is shown: the others are the process's, said above.
        blocks.append(labelled("Who", _role(policy, step.owner)))
    if step.description:
        blocks.append(Paragraph(prose(policy, step.description)))
    if step.sla:
        target = policy.sla.get(step.sla)
        if target is not None:
            link = ref("sla", step.sla, target.name)
            blocks.append(labelled("Time target", Text(f"{target.duration} ("), link, Text(")")))
    if step.template:
        template = policy.templates.get(step.template)
        name = template.name if template else step.template
        blocks.append(labelled("Response template", ref("template", step.template, name)))
    if step.process:
        other = policy.processes.get(step.process)
        name = other.name if other else step.process
        blocks.append(labelled("Continue with", ref("process", step.process, name)))
    if step.steps:
        blocks.append(_steps(policy, step.steps, depth + 1))
    return tuple(blocks)
