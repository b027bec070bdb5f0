import re

# Groups people are targeted for, in the normalised (lower-case, folded) spelling. Slurs are
# deliberately absent: they are abusive in themselves and must stay visible to the model.
_TERMS = """
woman women girl girls female females lady ladies man men guy guys male males boy boys
trans transgender transgenders transsexual transsexuals nonbinary enby gay gays lesbian
lesbians bisexual bisexuals bi queer queers homosexual homosexuals lgbt lgbtq lgbtqia
black blacks white whites asian asians african africans african-american latino latinos
latina latinas hispanic hispanics mexican mexicans indian indians chinese japanese korean
koreans arab arabs pakistani pakistanis nigerian nigerians somali somalis syrian syrians
afghan afghans roma romani gypsy gypsies native natives aboriginal indigenous
muslim muslims islamic jew jews jewish christian christians catholic catholics protestant
protestants hindu hindus sikh sikhs buddhist buddhists atheist atheists mormon mormons
immigrant immigrants migrant migrants refugee refugees asylum foreigner foreigners
disabled handicapped autistic deaf blind wheelchair elderly
""".split()

_PATTERN = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, _TERMS), key=len, reverse=True)) + r")\b"
)
# A letter no normalised text contains, so the placeholder's own n-grams are unique to it
# and the featurizer can switch them off (context bigrams such as "hate ǂǂ" stay).
PLACEHOLDER = "ǂǂ"


class IdentityTermMasker:
    """Replaces identity-group words with one placeholder token before the fast tier.

    Bag-of-words heads otherwise learn the group instead of what is said about it: HatEval
    and EDOS make "women" and "immigrants" near-certain hate features, so "Women are
    wonderful" scores as hate while "trans people are vermin" does not. Blind to the group,
    the heads must learn the predicate ("are vermin", "should be shot"), which transfers to
    every group. The semantic tier still sees the real words.
    """

    def mask(self, normalized: str) -> str:
        return _PATTERN.sub(PLACEHOLDER, normalized)

    def mentions_group(self, normalized: str) -> bool:
        """Whether the normalised text names an identity group."""
        return _PATTERN.search(normalized) is not None
