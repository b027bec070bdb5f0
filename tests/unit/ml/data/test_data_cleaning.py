from moderation.ml.data._cleaning import (
    clean_text,
    decode_escapes,
    dedup_key,
    has_content,
    hash_split,
    strip_html,
)


class TestCleaning:
    def test_html_entities_and_wrapping_quotes(self) -> None:
        assert clean_text('" you &amp;amp; me &#128514; "') == "you & me 😂"

    def test_whitespace_and_nbsp_collapse(self) -> None:
        assert clean_text("a\xa0\n\n b\tc ") == "a b c"

    def test_inner_quotes_are_kept(self) -> None:
        text = '" Keeks is a bitch " lol I walked into this'
        assert clean_text(text) == text.strip()

    def test_impermium_escapes(self) -> None:
        raw = r"A\\xc2\\xa0majority\\nUnless it\xe2\x80\x99s C\xe1c b\u1ea1n \\'s \ud83d\ude00"
        assert decode_escapes(raw) == "A\xa0majority\nUnless it’s Các bạn 's 😀"

    def test_mojibake_is_repaired(self) -> None:
        assert clean_text("never endðŸ‘‰More â€™") == "never end👉More ’"
        assert clean_text("hâm mộ café»") == "hâm mộ café»"

    def test_strip_html_keeps_anchor_text(self) -> None:
        assert strip_html('<a href="http://x.io">2:19</a> best<br />part') == "2:19 best part"

    def test_dedup_key_ignores_case_spacing_punctuation(self) -> None:
        assert dedup_key("Hello,   WORLD!!") == dedup_key("hello world") == "hello world"
        assert dedup_key("!!!") == "!!!"

    def test_hash_split_is_stable_and_about_ten_percent(self) -> None:
        splits = [hash_split(f"text {i}") for i in range(5000)]
        assert splits == [hash_split(f"text {i}") for i in range(5000)]
        assert 0.08 < splits.count("validation") / 5000 < 0.12

    def test_has_content(self) -> None:
        assert not has_content('"')
        assert has_content("😂😂")
        assert has_content("ok")
