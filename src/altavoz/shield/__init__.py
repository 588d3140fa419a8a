"""Abuse resistance without third-party services: rate limits, a signed render time, a
self-hosted proof of work (ALTCHA) and the honeypot (in the form). See SECURITY.md."""
