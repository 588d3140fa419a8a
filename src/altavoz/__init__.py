"""Altavoz: advocacy actions that reach the officials who represent each resident."""
