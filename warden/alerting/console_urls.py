from __future__ import annotations

from django.urls import path

from warden.alerting import console_views as views

urlpatterns = [
    path("messages/", views.messages_list, name="messages"),
    path("messages/<int:pk>/", views.message_detail, name="message"),
    path("messages/<int:pk>/progress.json", views.message_progress, name="message_progress"),
    path("messages/<int:pk>/cancel/", views.message_cancel_view, name="message_cancel"),
    path("deliveries/<int:pk>/", views.delivery_detail, name="delivery"),
    path("sandbox/", views.sandbox, name="sandbox"),
    path("sandbox/<int:pk>/", views.sandbox_message, name="sandbox_message"),
    path("sandbox/mail/<str:name>/", views.sandbox_mail, name="sandbox_mail"),
]
