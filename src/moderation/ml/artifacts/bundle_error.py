class BundleError(RuntimeError):
    """A model bundle is missing, incomplete or corrupt."""
