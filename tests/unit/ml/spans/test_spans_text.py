from moderation.ml.spans._text import deobfuscate, normalize, tokenize


class TestText:
    def test_tokens_carry_offsets_into_original_text(self) -> None:
        text = "You  idiot!! don't"
        tokens = tokenize(text)
        assert [t.text for t in tokens] == ["You", "idiot", "don't"]
        assert all(text[t.start : t.end] == t.text for t in tokens)

    def test_masked_profanity_stays_one_token(self) -> None:
        assert [t.text for t in tokenize("f**k sh!t a$$ F^ck $clown")] == [
            "f**k",
            "sh!t",
            "a$$",
            "F^ck",
            "$clown",
        ]

    def test_underscores_and_bare_symbols_are_not_tokens(self) -> None:
        assert [t.text for t in tokenize("__ *** !! x_y")] == ["x", "y"]

    def test_normalize_lowercases_and_strips_diacritics(self) -> None:
        assert normalize("IdiÓt") == "idiot"

    def test_deobfuscate_maps_leet_and_stretching(self) -> None:
        assert deobfuscate("stuuuupid") == "stupid"
        assert deobfuscate("1d10t") == "idiot"
        assert deobfuscate("sh!t") == "shit"

    def test_deobfuscate_leaves_plain_numbers(self) -> None:
        assert deobfuscate("2017") == "2017"
