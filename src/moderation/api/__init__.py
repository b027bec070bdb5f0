"""HTTP layer: routes, dependencies, middleware and request/response schemas."""
