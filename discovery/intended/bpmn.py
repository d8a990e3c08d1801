"""BPMN 2.0 files (bpmn.io, Camunda Modeler, Signavio) as an intended journey: tasks become
steps, lanes their departments, and sequence flows with gateways a Petri net (one place
per flow, then reduced to fewer silent steps accepting the same sequences).

Untrusted files are read safely: a DOCTYPE or ENTITY declaration anywhere is refused before
parsing, so no entity is ever expanded or fetched. Only one process is read (the one with
the most tasks, when a collaboration has several pools). Inclusive gateways are refused;
boundary events and the paths leaving them are left out.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import deque
from pathlib import Path

from discovery.errors import LogError
from discovery.intended._nets import Net, NetBuilder, reduce_net
from discovery.intended.model import IntendedJourney, Step
from discovery.words import message

REFUSED = message("journeyfile.error.bpmn_declarations")
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
TASKS = {
    "task", "userTask", "serviceTask", "manualTask", "scriptTask", "businessRuleTask",
    "sendTask", "receiveTask", "callActivity", "subProcess", "adHocSubProcess", "transaction",
}  # fmt: skip
CHOICES = {"exclusiveGateway", "eventBasedGateway", "complexGateway"}
PASSING = {"intermediateCatchEvent", "intermediateThrowEvent"}


def journey_from_bpmn(data: bytes, shown: str) -> IntendedJourney:
    """An intended journey from the bytes of a BPMN 2.0 file (`shown`: its name)."""
    if _DECLARATION.search(data):
        raise LogError(REFUSED, file=shown)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        said = message("journeyfile.error.not_xml", reason=str(error))
        raise LogError(said, file=shown) from None
    if _local(root.tag) != "definitions":
        raise LogError(message("journeyfile.error.not_bpmn", name=_local(root.tag)), file=shown)
    processes = [el for el in root.iter() if _local(el.tag) == "process"]
    if not processes:
        raise LogError(message("journeyfile.error.no_process"), file=shown)
    process = max(processes, key=lambda p: sum(_local(c.tag) in TASKS for c in p))
    return _journey(process, _pool_names(root), shown)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _pool_names(root: ET.Element) -> dict[str, str]:
    return {
        el.get("processRef", ""): el.get("name", "").strip()
        for el in root.iter()
        if _local(el.tag) == "participant" and el.get("name")
    }


def _journey(process: ET.Element, pools: dict[str, str], shown: str) -> IntendedJourney:
    nodes: dict[str, tuple[str, str | None]] = {}  # id -> (kind, name)
    flows: list[tuple[str, str, str]] = []
    for element in process:
        kind, ident = _local(element.tag), element.get("id", "")
        if kind == "sequenceFlow":
            flows.append((ident, element.get("sourceRef", ""), element.get("targetRef", "")))
        elif kind == "inclusiveGateway":
            gateway = element.get("name") or ident
            said = message("journeyfile.error.inclusive_gateway", name=gateway)
            raise LogError(said, file=shown)
        elif kind in TASKS | CHOICES | PASSING | {"parallelGateway", "startEvent", "endEvent"}:
            name = " ".join((element.get("name") or "").split()) or None
            if kind in TASKS and name is None:
                raise LogError(message("journeyfile.error.unnamed_task", task=ident), file=shown)
            nodes[ident] = (kind, name)
    if not any(kind in TASKS for kind, _ in nodes.values()):
        raise LogError(message("journeyfile.error.no_tasks"), file=shown)
    known = {element.get("id") for element in process.iter()}
    for ident, *ends in flows:
        for ref in ends:
            if ref not in known:
                said = message("journeyfile.error.unknown_element", flow=ident, element=ref)
                raise LogError(said, file=shown)
    # flows to elements left out on purpose (boundary events and what follows them) go too
    flows = [flow for flow in flows if flow[1] in nodes and flow[2] in nodes]
    order = _walk(nodes, flows)
    if any(kind == "startEvent" for kind, _ in nodes.values()):
        nodes = {ident: nodes[ident] for ident in order}  # only what a start event leads to
        flows = [flow for flow in flows if flow[1] in nodes and flow[2] in nodes]
    lanes = _lanes(process)
    pool = pools.get(process.get("id", ""))
    steps, seen = [], set()
    for ident in order:
        kind, name = nodes[ident]
        if kind in TASKS and name is not None and name not in seen:  # tasks are named
            seen.add(name)
            steps.append(Step(name, lanes.get(ident, pool)))
    title = process.get("name") or pool or Path(shown).stem
    return IntendedJourney(steps=tuple(steps), name=title, flow=_net(nodes, flows))


def _lanes(process: ET.Element) -> dict[str, str]:
    """Each node's lane name; nested lanes win over the lanes around them."""
    found: dict[str, str] = {}
    for lane in process.iter():
        if _local(lane.tag) != "lane" or not lane.get("name"):
            continue
        for ref in lane:
            if _local(ref.tag) == "flowNodeRef" and ref.text:
                found[ref.text.strip()] = " ".join(lane.get("name", "").split())
    return found


def _walk(nodes: dict[str, tuple[str, str | None]], flows: list[tuple[str, str, str]]) -> list[str]:
    """Nodes breadth-first from the start events (without start events: from the nodes no
    flow enters, then any not reached)."""
    following: dict[str, list[str]] = {ident: [] for ident in nodes}
    incoming = {target for _, _, target in flows}
    for _, source, target in flows:
        following[source].append(target)
    starts = [i for i, (kind, _) in nodes.items() if kind == "startEvent"]
    queue = deque(starts or [i for i in nodes if i not in incoming])
    seen = dict.fromkeys(queue)
    while queue:
        for target in following[queue.popleft()]:
            if target not in seen:
                seen[target] = None
                queue.append(target)
    return list(seen) if starts else [*seen, *(i for i in nodes if i not in seen)]


def _net(nodes: dict[str, tuple[str, str | None]], flows: list[tuple[str, str, str]]) -> Net:
    builder = NetBuilder()
    source, sink = builder.place(), builder.place()
    ended = builder.place()  # where the flow ends; reduced into the sink unless joined
    builder.transition(None, [ended], [sink])
    place = {ident: builder.place() for ident, _, _ in flows}
    inputs: dict[str, list[str]] = {ident: [] for ident in nodes}
    outputs: dict[str, list[str]] = {ident: [] for ident in nodes}
    for ident, start, end in flows:
        outputs[start].append(place[ident])
        inputs[end].append(place[ident])
    for ident, (kind, name) in nodes.items():
        before = inputs[ident] or [source]
        after = outputs[ident] or [ended]
        if kind == "startEvent":
            builder.transition(None, [source], after)
        elif kind == "endEvent":
            for incoming in before:
                builder.transition(None, [incoming], [ended])
        elif kind == "parallelGateway":
            builder.transition(None, before, after)
        elif kind in CHOICES:
            middle = before[0] if len(before) == 1 else builder.place()
            if len(before) > 1:
                for incoming in before:
                    builder.transition(None, [incoming], [middle])
            for outgoing in after:
                builder.transition(None, [middle], [outgoing])
        else:
            if len(before) > 1:  # several flows into a task: whichever arrives (XOR merge)
                merged = builder.place()
                for incoming in before:
                    builder.transition(None, [incoming], [merged])
                before = [merged]
            builder.transition(name if kind in TASKS else None, before, after)
    if any(len(outputs[i]) > 1 for i, (kind, _) in nodes.items() if kind not in CHOICES):
        # the flow ends when every token has reached an end (BPMN's implicit end): parallel
        # branches may end in end events of their own, their tokens joined into the one
        # final token; only where the flow splits in parallel, so other nets stay as they were
        builder.transition(None, [ended, sink], [sink])
    # the gateways' and events' silent steps that change nothing the net accepts go
    return reduce_net(builder.net(source, sink))
