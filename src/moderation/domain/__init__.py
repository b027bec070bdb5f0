"""Domain core: entities, value objects and the pure decision policy."""
