from pydantic import ConfigDict

from moderation.domain.models import NewContent


class CreateContentRequest(NewContent):
    """A piece of user content to store and moderate (the domain's `NewContent`, whose rules
    import rows follow too, with the API's example)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "Great blender",
                    "body": "Crushes ice in seconds. Five stars, would buy again.",
                    "content_type": "text",
                    "author_id": "user-8231",
                    "language": "en",
                    "tags": ["Review", " kitchen ", "review"],
                    "metadata": {"product_id": "B00123", "source": "web"},
                }
            ]
        },
    )
