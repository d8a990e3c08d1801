"""What stands out in a log, in sentences: the findings the Overview and every report lead with."""

from __future__ import annotations

from discovery.intended.conformance import Conformance
from discovery.mining.bottlenecks import Bottlenecks
from discovery.mining.findings import cases_message
from discovery.mining.handoffs import HandoffReport
from discovery.mining.variants import VariantTable
from discovery.words import Count, Message, Number, Share, message

__all__ = ["key_findings"]


def key_findings(
    bottlenecks: Bottlenecks,
    handoffs: HandoffReport,
    variants: VariantTable,
    conformance: Conformance | None = None,
    *,
    departments: bool = True,
) -> list[Message]:
    """The top waits (three paths, one step), the two most common deviations from the
    intended journey, how often cases are handed over (where the log has `departments`),
    the most common ping-pong and rework, and how many paths the cases take.

    >>> say(key_findings(found, handoffs, variants)[-1])  # doctest: +SKIP
    '12 different paths; the most frequent covers 41% of cases.'
    """
    found = [*bottlenecks.messages(top=3), *bottlenecks.activity_messages(top=1)]
    if conformance is not None:
        found.extend(conformance.messages(top=2))
    if departments and handoffs.cases:
        found.append(
            message(
                "finding.handoff_share",
                share=Share(handoffs.share_of_cases("handoffs")),
                mean=Number(handoffs.mean_per_case("handoffs")),
            )
        )
    if not handoffs.pingpong.empty:
        top = handoffs.pingpong.iloc[0]
        found.append(
            message(
                "finding.pingpong",
                share=Share(handoffs.share_of_cases("pingpongs")),
                first=str(top["first"]),
                second=str(top["second"]),
                cases=cases_message(int(top["cases"])),
            )
        )
    if not handoffs.rework.empty:
        top = handoffs.rework.iloc[0]
        found.append(
            message(
                "finding.rework",
                share=Share(handoffs.share_of_cases("rework_events")),
                activity=str(top["activity"]),
                cases=cases_message(int(top["cases"])),
            )
        )
    found.append(
        message(
            "finding.variants",
            variants=Count(len(variants.variants)),
            share=Share(variants.coverage(1)),
        )
    )
    return found
