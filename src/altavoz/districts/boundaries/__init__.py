"""Boundary sets as data: definitions, readers, validation, import and in-memory lookup."""
