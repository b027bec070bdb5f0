"""Version 1 of the content API, mounted under /api/v1."""
