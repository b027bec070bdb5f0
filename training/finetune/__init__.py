"""Torch-side pieces of the MiniLM fine-tune (run from .venv-train, never at run time)."""
