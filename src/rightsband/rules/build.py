"""Merge the rules files in force into band sets and groups, checking what spans files.

Files are read in order (the built-in file first); a set in a later file replaces an
earlier set with the same id, aliases and all. Then: every id, alias and group id
names one thing; composite inputs exist and are not composite; group editions exist,
declare years that do not overlap and read alike; ``publisher_classes`` name
publisher sets.
"""

from __future__ import annotations

from collections.abc import Sequence

from rightsband.model import Band, BandSet, Group, Input, Scale
from rightsband.rules.drafts import Draft, GroupDraft, RulesSource
from rightsband.rules.findings import Finding
from rightsband.rules.reader import read_file


def gather(files: Sequence[str | RulesSource]) -> tuple[list[BandSet], list[Group], list[Finding]]:
    """The band sets and groups of ``files`` merged in order, and every finding."""
    merged: dict[str, Draft] = {}
    merged_groups: dict[str, GroupDraft] = {}
    findings: list[Finding] = []
    for file in files:
        drafts, group_drafts, file_findings = read_file(file)
        findings += file_findings
        for draft in drafts:
            merged[draft.set.id.casefold()] = draft  # a later file replaces an earlier set with the same id
        for group in group_drafts:
            merged_groups[group.id.casefold()] = group
    drafts = list(merged.values())
    findings += check_names(drafts, list(merged_groups.values()))
    sets, input_findings = resolve_inputs(drafts)
    groups, group_findings = resolve_groups(list(merged_groups.values()), sets)
    return sets, groups, findings + input_findings + group_findings + check_publisher_classes(drafts, sets)


def check_names(drafts: Sequence[Draft], groups: Sequence[GroupDraft]) -> list[Finding]:
    """Ids and aliases must name one set (or group) each across all loaded files."""
    owner: dict[str, Draft] = {}
    findings = []
    for draft in drafts:
        for name in draft.set.names:
            other = owner.setdefault(name.casefold(), draft)
            if other is not draft:
                findings.append(Finding(draft.file, draft.line,
                                        f'name "{name}" is already the id or an alias of set "{other.set.id}" '
                                        f"({other.file}:{other.line}); rename it, or give your set the id "
                                        f'"{other.set.id}" to replace that set', draft.set.id))
    for group in groups:
        if group.id.casefold() in owner:
            findings.append(Finding(group.file, group.line, f'group id "{group.id}" is already the id or an alias '
                                    "of a band set; rename the group", group.id))
    return findings


def resolve_inputs(drafts: Sequence[Draft]) -> tuple[list[BandSet], list[Finding]]:
    """Point each composite input at its band set; inputs must be existing, non-composite sets."""
    by_name = {name.casefold(): d for d in drafts for name in d.set.names}
    sets, findings = [], []
    for draft in drafts:
        inputs = []
        for name, ref, take, where in draft.inputs:
            if isinstance(ref, Scale):  # the input's own scale, no set of its own
                inputs.append(Input(name, own_scale(draft.set, name, ref), take))
                continue
            target = by_name.get(ref.casefold())
            if target is None:
                findings.append(Finding(draft.file, where(), f'input "{name}" reads set "{ref}", which does not exist',
                                        draft.set.id))
            elif target.set.label_only is not None:
                findings.append(Finding(draft.file, where(), f'input "{name}" reads set "{ref}", which has labels '
                                        "only, no score", draft.set.id))
            elif target.inputs:
                findings.append(Finding(draft.file, where(),
                                        f'input "{name}" reads set "{ref}", which is itself composite',
                                        draft.set.id))
            elif take == "band" and any(b.value is None for b in target.set.bands):
                findings.append(Finding(draft.file, where(), f'input "{name}" takes the band of set "{ref}", but not '
                                        "every band there has a value", draft.set.id))
            else:
                inputs.append(Input(name, target.set, take))
        sets.append(draft.set.with_inputs(tuple(inputs)) if inputs else draft.set)
    return sets, findings


def own_scale(band_set: BandSet, name: str, scale: Scale) -> BandSet:
    """The set an input with its own scale reads: that scale, one band over it, named after the input."""
    return BandSet(id=f"{band_set.id}:{name}", name=f"input {name} of {band_set.id}", publisher=band_set.publisher,
                   citation=band_set.citation, scale=scale, unit="score", direction=band_set.direction,
                   bands=(Band(name, scale.min, scale.max, True, True),), url=band_set.url)


def resolve_groups(drafts: Sequence[GroupDraft], sets: Sequence[BandSet]) -> tuple[list[Group], list[Finding]]:
    """Point each group at its editions: existing sets with years that do not overlap, read alike."""
    by_name = {name.casefold(): s for s in sets for name in s.names}
    groups: list[Group] = []
    findings: list[Finding] = []
    for draft in drafts:
        before = len(findings)

        def report(message: str, draft: GroupDraft = draft) -> None:
            findings.append(Finding(draft.file, draft.line, message, draft.id))

        editions = []
        for ref in draft.editions:
            edition = by_name.get(ref.casefold())
            if edition is None:
                report(f'edition "{ref}" is not a band set')
            elif edition.years is None:
                report(f'edition "{ref}" declares no years; give it years = {{ from = ..., to = ... }}')
            else:
                editions.append(edition)
        for n, a in enumerate(editions):
            for b in editions[n + 1:]:
                if a.years.overlaps(b.years):  # type: ignore[union-attr, arg-type]
                    report(f"editions {a.id} ({a.years}) and {b.id} ({b.years}) overlap; a year must pick one")
        if len({len(e.inputs) for e in editions}) > 1:
            report("editions must all read the same inputs (all single values, or the same composite inputs)")
        if len(findings) == before:
            ordered = tuple(sorted(editions, key=lambda e: e.years.first))  # type: ignore[union-attr]
            groups.append(Group(draft.id, draft.name, ordered, draft.notes, draft.topic))
    return groups, findings


def check_publisher_classes(drafts: Sequence[Draft], sets: Sequence[BandSet]) -> list[Finding]:
    """``publisher_classes`` must name sets of the publisher's own classes."""
    origin = {name.casefold(): s.origin for s in sets for name in s.names}
    findings = []
    for draft in drafts:
        for ref in draft.set.publisher_classes or ():
            if origin.get(ref.casefold()) != "publisher":
                findings.append(Finding(draft.file, draft.line, f'publisher_classes names "{ref}", which is not a '
                                        "band set with origin = 'publisher'", draft.set.id))
    return findings
