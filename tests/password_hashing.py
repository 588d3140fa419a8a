"""Passwords in tests: PBKDF2-SHA256 as in production, with one iteration instead of Django's
1.5 million (about half a second a password on the 2-core machine; the ``organisers``
fixture alone made some 360 per run). The hashes stay ordinary ``pbkdf2_sha256$1$...``
ones, which any process checks, and signing in still goes through the real hasher."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1
