"""Process-wide concerns: configuration, security primitives, errors, logging."""
