"""The labels of several editions in one order by band position, as a group's categories are built."""

from __future__ import annotations

from collections.abc import Sequence

from rightsband.model.bandset import BandSet


def labels_by_position(editions: Sequence[BandSet]) -> list[str]:
    """Every edition's labels, each once, best band first across editions: each edition's labels
    keep its own order, and among the labels free to come next the one at the best position (then
    the earlier edition's) comes first. So the wordings of one band position (``Defective
    democracy``, ``Defective democracies``) sit together, before the next position's; a label
    shared by editions is one category, placed after every label any edition ranks above it."""
    import heapq  # here: the model is imported by every look-up, which never ranks editions

    first: dict[str, tuple[int, int]] = {}  # label: (position, edition) where it first appears
    above: dict[str, set[str]] = {}  # label: the labels some edition ranks directly above it
    for place, edition in enumerate(editions):
        labels = [band.label for band in edition.bands]
        for position, label in enumerate(labels):
            first.setdefault(label, (position, place))
            above.setdefault(label, set()).update(labels[position - 1:position] if position else ())
    waiting = {label: len(ranked_above) for label, ranked_above in above.items()}
    below: dict[str, list[str]] = {}
    for label, ranked_above in above.items():
        for other in ranked_above:
            below.setdefault(other, []).append(label)
    ready = [(first[label], label) for label, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    ordered: dict[str, None] = {}
    while len(ordered) < len(first):
        if not ready:  # editions that rank shared labels both ways round: the earliest-placed label breaks the tie
            label = min((label for label in first if label not in ordered), key=first.__getitem__)
            heapq.heappush(ready, (first[label], label))
        _, label = heapq.heappop(ready)
        if label in ordered:
            continue
        ordered[label] = None
        for other in below.get(label, ()):
            waiting[other] -= 1
            if waiting[other] == 0:
                heapq.heappush(ready, (first[other], other))
    return list(ordered)
