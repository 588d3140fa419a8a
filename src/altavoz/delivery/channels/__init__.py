"""Delivery channels: how a Delivery reaches its recipient. ``base`` is the interface
(build, send, provider id, SendError permanent or temporary), ``registry`` the channels by
name, one folder per channel: ``email/`` (messages, SMTP, the demo outbox, bounces)."""
