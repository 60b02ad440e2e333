from __future__ import annotations

from django.urls import include, path

from warden.console.views import audit, countries, edition_actions, editions, home, statements

app_name = "console"
urlpatterns = [
    path("", home.home, name="home"),
    path("review/", home.review, name="review"),
    path("countries/<str:code>/", countries.country, name="country"),
    path("countries/<str:code>/editions/new/", editions.edition_new, name="edition_new"),
    path(
        "countries/<str:code>/editions/preview/", editions.edition_preview, name="edition_preview"
    ),
    path("editions/<int:pk>/", editions.edition, name="edition"),
    path("editions/<int:pk>/edit/", editions.edition_edit, name="edition_edit"),
    path("editions/<int:pk>/submit/", edition_actions.edition_submit, name="edition_submit"),
    path("editions/<int:pk>/publish/", edition_actions.edition_publish, name="edition_publish"),
    path("editions/<int:pk>/return/", edition_actions.edition_return, name="edition_return"),
    path("editions/<int:pk>/withdraw/", edition_actions.edition_withdraw, name="edition_withdraw"),
    path("statements/", statements.statements, name="statements"),
    path("statements/new/", statements.statement_new, name="statement_new"),
    path("statements/<int:pk>/", statements.statement, name="statement"),
    path("statements/<int:pk>/edit/", statements.statement_edit, name="statement_edit"),
    path("statements/<int:pk>/submit/", statements.statement_submit, name="statement_submit"),
    path("statements/<int:pk>/publish/", statements.statement_publish, name="statement_publish"),
    path("statements/<int:pk>/return/", statements.statement_return, name="statement_return"),
    path("statements/<int:pk>/withdraw/", statements.statement_withdraw, name="statement_withdraw"),
    path("audit/", audit.audit, name="audit"),
    path("people/", include("warden.people.console_urls")),
    path("", include("warden.alerting.console_urls")),
    path("incidents/", include("warden.incidents.console_urls")),
    path("posts/", include("warden.missions.console_urls")),
    path("welfare/", include("warden.welfare.console_urls")),
]
