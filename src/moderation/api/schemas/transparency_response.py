from moderation.domain.models import TransparencyReport


class TransparencyResponse(TransparencyReport):
    """The DSA Art. 15 figures of the caller's tenant over [start, end) (see docs/api.md for
    how each is counted)."""
