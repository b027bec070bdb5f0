"""Term rules (block and allow lists), the built-in lexicons, and spam signals."""

from moderation.ml.rules.default_lexicon import DefaultLexicon
from moderation.ml.rules.match_subject import MatchSubject
from moderation.ml.rules.rule_hit import RuleHit
from moderation.ml.rules.spam_signal_extractor import SpamSignalExtractor
from moderation.ml.rules.spam_signals import SpamSignals
from moderation.ml.rules.term_matcher import TermMatcher
from moderation.ml.vocabulary.term_rule import TermRule

__all__ = [
    "DefaultLexicon",
    "MatchSubject",
    "RuleHit",
    "SpamSignalExtractor",
    "SpamSignals",
    "TermMatcher",
    "TermRule",
]
