"""Self-service enrolment: sign in by an emailed magic link, a short wizard, "my registration".

- ``links``: the single-use, expiring sign-in links (their token carries a row id, never the
  address) and the per-address / per-IP rate limit (``ratelimit``).
- ``session``: the citizen session (``warden_person_id``), separate from staff logins.
- ``tokens``: the short-lived bearer tokens of the API.
- ``services``: completing an enrolment (the person, their trips and contact points, at once).
- ``views`` / ``urls``: the public pages under ``/register/`` (URL names ``register:*``).
"""
