"""The enrolment pages, included under ``/register/`` (URL names ``register:*``)."""

from __future__ import annotations

from django.urls import path

from warden.people.enrolment import views

app_name = "register"
urlpatterns = [
    path("", views.start, name="start"),
    path("sent/", views.sent, name="sent"),
    path("sign-in/<str:token>/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("cities/", views.cities, name="cities"),
    path("who/", views.who, name="who"),
    path("where/", views.where, name="where"),
    path("how/", views.how, name="how"),
    path("consent/", views.consent, name="consent"),
    path("mine/", views.mine, name="mine"),
    path("mine/who/", views.mine_who, name="mine_who"),
    path("mine/trips/", views.trip_new, name="trip_add"),
    path("mine/trips/<int:pk>/remove/", views.trip_delete, name="trip_remove"),
    path("mine/contacts/", views.contact_new, name="contact_add"),
    path("mine/contacts/<int:pk>/remove/", views.contact_delete, name="contact_remove"),
    path("mine/contacts/<int:pk>/up/", views.contact_up, name="contact_up"),
    path("mine/contacts/<int:pk>/code/", views.contact_code, name="contact_code"),
    path("mine/contacts/<int:pk>/confirm/", views.contact_confirm, name="contact_confirm"),
    path("mine/delete/", views.delete, name="delete"),
]
