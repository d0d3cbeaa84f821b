"""Finding the transfer rules between two leg groups (``fare_transfer_rules.txt``).

An empty ``from_leg_group_id`` (``to_leg_group_id``) stands for every leg group
not listed in that column, so a group is looked up under its own id when listed
and under the empty key otherwise. Of the rules that carry a ``transfer_count``,
the one with the smallest count that still covers the sub-journey's transfer
count is selected, as the spec says; rules without a count always apply.
"""

from __future__ import annotations

from jjj.fares.model import FareRules, TransferRule

__all__ = ["TransferIndex"]

_EMPTY = ""


class TransferIndex:
    """Transfer rules indexed by ``(from group key, to group key)``."""

    def __init__(self, rules: FareRules) -> None:
        transfers = rules.transfer_rules
        self._listed_from = {r.from_leg_group_id for r in transfers if r.from_leg_group_id}
        self._listed_to = {r.to_leg_group_id for r in transfers if r.to_leg_group_id}
        index: dict[tuple[str, str], list[TransferRule]] = {}
        for rule in transfers:
            key = (rule.from_leg_group_id or _EMPTY, rule.to_leg_group_id or _EMPTY)
            index.setdefault(key, []).append(rule)
        self._index = index

    def between(
        self, from_group: str | None, to_group: str | None, transfers: int
    ) -> list[TransferRule]:
        """Rules for a transfer from ``from_group`` to ``to_group``.

        ``transfers`` is the sub-journey's transfer count including this transfer.
        Legs without a leg group take part in no transfer.
        """
        if from_group is None or to_group is None:
            return []
        from_key = from_group if from_group in self._listed_from else _EMPTY
        to_key = to_group if to_group in self._listed_to else _EMPTY
        found = self._index.get((from_key, to_key))
        if not found:
            return []
        counted = [
            r
            for r in found
            if r.transfer_count is not None
            and (r.transfer_count == -1 or r.transfer_count >= transfers)
        ]
        chosen: list[TransferRule] = [r for r in found if r.transfer_count is None]
        if counted:
            smallest = min(_count_key(r) for r in counted)
            chosen.extend(r for r in counted if _count_key(r) == smallest)
        return chosen


def _count_key(rule: TransferRule) -> float:
    count = rule.transfer_count
    return float("inf") if count is None or count == -1 else float(count)
