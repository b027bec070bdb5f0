from moderation.ml.spans import offsets_to_ranges, ranges_to_offsets


class TestCharRanges:
    def test_offsets_merge_into_sorted_ranges(self) -> None:
        assert offsets_to_ranges([7, 1, 2, 3, 8, 2]) == [(1, 4), (7, 9)]

    def test_ranges_expand_to_sorted_offsets(self) -> None:
        assert ranges_to_offsets([(5, 7), (0, 2), (1, 3)]) == [0, 1, 2, 5, 6]

    def test_round_trip(self) -> None:
        offsets = [0, 1, 2, 10, 11, 40]
        assert ranges_to_offsets(offsets_to_ranges(offsets)) == offsets

    def test_empty(self) -> None:
        assert offsets_to_ranges([]) == []
        assert ranges_to_offsets([]) == []
