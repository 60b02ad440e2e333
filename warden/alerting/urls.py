from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from warden.alerting import hooks, views

# Public, inside the language prefix: the answer pages.
answer_patterns: list[URLPattern | URLResolver] = [
    # Before the token's patterns; a token is longer and holds a "-": never "thanks".
    path("thanks/<str:answer>/", views.answer_thanks, name="answer_thanks"),
    path("<str:token>/", views.answer, name="answer"),
    path("<str:token>/<str:answer>/", views.answer_choice, name="answer_choice"),
]

# Providers, outside the language prefix.
hook_patterns: list[URLPattern | URLResolver] = [
    path("sms/receipts", hooks.sms_receipt, name="hook_sms_receipts"),
    path("sms/inbound", hooks.sms_inbound, name="hook_sms_inbound"),
    path("anymail/", include("anymail.urls")),
]
