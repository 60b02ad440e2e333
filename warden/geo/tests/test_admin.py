from __future__ import annotations

import pytest
from django.contrib import admin
from django.template.response import TemplateResponse
from django.test import RequestFactory

from warden.geo.models import Country, CustomArea, Subdivision

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Country, Subdivision, CustomArea])
def test_geography_is_read_only_in_the_admin(model, admin_user):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = admin_user
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_the_country_list_renders(admin_user):
    request = RequestFactory().get("/admin/geo/country/", {"q": "TUR"})
    request.user = admin_user
    response = admin.site._registry[Country].changelist_view(request)
    assert isinstance(response, TemplateResponse)
    content = response.render().content.decode()
    assert "Türkiye" in content
    assert "France" not in content
