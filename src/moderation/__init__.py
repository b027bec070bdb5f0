"""Monocto Moderation: self-hostable content moderation.

`from moderation import Engine; Engine.load().score(["..."])` scores a batch of texts.
"""

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Engine", "__version__"]

if TYPE_CHECKING:
    from moderation.ml.engine import Engine


def __getattr__(name: str) -> Any:
    # Lazy so `import moderation` (e.g. by the CLI's --help) does not load numpy and sklearn.
    if name == "Engine":
        from moderation.ml.engine import Engine

        return Engine
    raise AttributeError(name)
