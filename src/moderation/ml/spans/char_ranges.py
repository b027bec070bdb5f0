"""Conversions between character-offset lists and merged [start, end) ranges."""

from collections.abc import Iterable


def offsets_to_ranges(offsets: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted, merged [start, end) ranges covering exactly the given offsets."""
    ranges: list[tuple[int, int]] = []
    for off in sorted(set(offsets)):
        if ranges and ranges[-1][1] == off:
            ranges[-1] = (ranges[-1][0], off + 1)
        else:
            ranges.append((off, off + 1))
    return ranges


def ranges_to_offsets(ranges: Iterable[tuple[int, int]]) -> list[int]:
    """Sorted distinct character offsets covered by [start, end) ranges."""
    return sorted({off for start, end in ranges for off in range(start, end)})
