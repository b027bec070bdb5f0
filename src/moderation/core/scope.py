from enum import StrEnum


class Scope(StrEnum):
    """What a credential may do. Keys and JWTs carry a set of these."""

    CONTENT_READ = "content:read"
    CONTENT_WRITE = "content:write"
    MODERATE = "moderate"
    POLICY_ADMIN = "policy:admin"
    # Leads may release other reviewers' claims.
    REVIEW_LEAD = "review:lead"
