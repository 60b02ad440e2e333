"""Version 1 of the public API, mounted at ``/api/v1/``.

The schema is published at ``/api/v1/openapi.json`` and browsable at ``/api/v1/docs``.
Only what was published for real is here: exercise editions and statements never are.
"""

from __future__ import annotations

from ninja import Swagger

from warden.api.v1 import answers, countries, registrations, statements
from warden.api.v1.http import WardenAPI

api = WardenAPI(
    title="Warden public API",
    version="1",
    urls_namespace="api-v1",
    description=(
        "Travel-security levels (1–4) per country, with the official advice and statements. "
        "Read-only and public. Texts come in the language of `lang` or Accept-Language "
        "(English or Hebrew). Responses carry ETag and Last-Modified: send them back as "
        "If-None-Match / If-Modified-Since to get 304 until something new is published."
    ),
    # The assets come from the ninja app's static files (script-src 'self'); no validator
    # badge, which would load an image from swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)
api.add_router("", countries.router)
api.add_router("", statements.router)
api.add_router("", registrations.router)
api.add_router("", answers.router)
