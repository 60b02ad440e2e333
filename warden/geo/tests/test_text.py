from __future__ import annotations

import pytest

from warden.geo.text import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Türkiye", "turkiye"),
        ("İSTANBUL", "istanbul"),
        ("Diyarbakır", "diyarbakir"),
        ("Côte d'Ivoire", "cote divoire"),
        ("Guinea-Bissau", "guinea bissau"),
        ("Korea, Republic of", "korea republic of"),
        ("ארה״ב", "ארהב"),
        ("צְפוֹן־מַקְדוֹנְיָה", "צפון מקדוניה"),
        ("  São   Tomé ", "sao tome"),
    ],
)
def test_it_folds(text, folded):
    assert fold(text) == folded
