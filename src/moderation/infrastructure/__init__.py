"""Adapters to the outside world: database, cache, rate limits, metrics, the engine pool."""
