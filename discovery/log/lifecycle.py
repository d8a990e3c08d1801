"""Folding lifecycle transitions (schedule, start, complete) into one event per activity instance.

Policy, applied per case and activity in time order: the k-th `start` belongs to the k-th
`complete` and the k-th `schedule` to the k-th complete as well, provided it comes before
it; the pair becomes one event with `start_timestamp` (and `schedule_timestamp`). A row
with no lifecycle counts as complete. A start or schedule with no complete after it, and
every other transition (suspend, resume, abort, withdraw, ...), stays an event of its own
with its transition in `lifecycle`, and is counted in the notes: nothing is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from discovery.words import Count, Message, chain, message

_COMPLETE = "complete"
_FOLDED = {"start": "start_timestamp", "schedule": "schedule_timestamp"}


@dataclass(frozen=True)
class LifecycleMerge:
    """Events after folding, with how many rows were folded into other events."""

    events: pd.DataFrame
    merged_rows: int
    notes: tuple[Message, ...]


def merge_lifecycle(events: pd.DataFrame) -> LifecycleMerge:
    """Fold start and schedule rows into their complete; `events` sorted by case and time."""
    transition = events["lifecycle"].astype("string").str.strip().str.lower()
    transition = transition.fillna(_COMPLETE).replace("", _COMPLETE)
    events = events.assign(lifecycle=transition.astype(object))
    key = ["case_id", "activity"]
    order = pd.Series(range(len(events)), index=events.index)
    is_complete = transition == _COMPLETE
    completes = events.loc[is_complete, key].assign(
        _k=events.loc[is_complete].groupby(key, sort=False).cumcount(),
        _at=order[is_complete],
    )
    folded_away = pd.Series(False, index=events.index)
    notes: list[Message] = []
    for kind, column in _FOLDED.items():
        is_kind = transition == kind
        if not is_kind.any():
            continue
        rows = events.loc[is_kind, [*key, "timestamp"]].assign(
            _k=events.loc[is_kind].groupby(key, sort=False).cumcount(),
            _from=order[is_kind],
            _row=events.index[is_kind],
        )
        pairs = completes.reset_index().merge(rows, on=[*key, "_k"], how="inner")
        pairs = pairs[pairs["_from"] < pairs["_at"]]
        folded = pd.Series(pairs["timestamp"].to_numpy(), index=pairs["index"].to_numpy())
        events[column] = folded.reindex(events.index)
        folded_away.loc[pairs["_row"].to_numpy()] = True
        notes.append(message(f"log.note.lifecycle_{kind}", count=Count(len(pairs))))
    kept = events[~folded_away]
    others = kept.loc[kept["lifecycle"] != _COMPLETE, "lifecycle"].value_counts()
    if not others.empty:
        counted = [
            message("log.transition_count", name=str(name), count=Count(int(count)))
            for name, count in others.items()
        ]
        notes.append(message("log.note.lifecycle_others", listed=chain(counted, "io.list")))
    return LifecycleMerge(kept, int(folded_away.sum()), tuple(notes))
