"""The composition root: where the processes' storage, caches, engine and workers are built and
wired together. Nothing below this layer constructs a repository."""
