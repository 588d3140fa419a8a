"""The email channel: ``channel`` (the interface), ``emails`` (every email, from subject, text
and HTML templates), ``addresses`` (mailboxes, checked), ``postman`` (mailers, connections
kept open), ``smtp``/``wire``/``headers`` (fast SMTP), ``errors`` (what a mail server's
answer means), ``outbox`` (the demo's local outbox), ``webhooks`` (bounces), ``direct``
(emails sent at once, outside the queue)."""
