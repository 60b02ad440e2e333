from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from warden.incidents.services import sources


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_gazetteer() -> Iterator[None]:
    """Each test builds the gazetteer from its own posts."""
    sources._cache.clear()
    yield
    sources._cache.clear()


@pytest.fixture
def posts(db: None) -> dict[str, object]:
    """The demo's two posts: the embassy in Ankara and the consulate general in Istanbul."""
    from warden.missions.models import Post

    embassy = Post.objects.create(
        name="Embassy of Israel in Ankara",
        kind=Post.Kind.EMBASSY,
        country_id="TR",
        city="Ankara",
        geonameid=323786,
        latitude=39.91987,
        longitude=32.85427,
    )
    consulate = Post.objects.create(
        name="Consulate General of Israel in Istanbul",
        kind=Post.Kind.CONSULATE_GENERAL,
        country_id="TR",
        city="Istanbul",
        geonameid=745044,
        latitude=41.01384,
        longitude=28.94966,
    )
    return {"embassy": embassy, "consulate": consulate}
