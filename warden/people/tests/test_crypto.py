from __future__ import annotations

import pytest

from warden.people import crypto


@pytest.fixture
def ring() -> crypto.Keyring:
    return crypto.Keyring.from_texts([crypto.new_key()])


def test_it_round_trips_and_never_repeats_a_ciphertext(ring):
    first = ring.encrypt("Dana Levi", purpose="people.person.given_name")
    second = ring.encrypt("Dana Levi", purpose="people.person.given_name")

    assert first != second
    assert "Dana" not in first
    assert ring.decrypt(first, purpose="people.person.given_name") == "Dana Levi"


def test_a_value_moved_to_another_column_does_not_decrypt(ring):
    token = ring.encrypt("Dana", purpose="people.person.given_name")

    with pytest.raises(crypto.DecryptionError) as error:
        ring.decrypt(token, purpose="people.person.family_name")

    assert "Dana" not in str(error.value)


def test_an_old_key_still_decrypts_after_a_new_one_is_put_first():
    old, new = crypto.new_key(), crypto.new_key()
    token = crypto.Keyring.from_texts([old]).encrypt("x@example.org", purpose="p")
    rotated = crypto.Keyring.from_texts([new, old])

    assert rotated.decrypt(token, purpose="p") == "x@example.org"
    assert not rotated.is_current(token)
    assert rotated.is_current(rotated.encrypt("x@example.org", purpose="p"))


def test_an_unknown_key_is_named_by_id_only(ring):
    token = crypto.Keyring.from_texts([crypto.new_key()]).encrypt("secret", purpose="p")

    with pytest.raises(crypto.DecryptionError, match="no configured key"):
        ring.decrypt(token, purpose="p")


def test_a_tampered_value_is_refused(ring):
    token = ring.encrypt("secret", purpose="p")
    kid, _, body = token.partition("$")
    tampered = kid + "$" + body[:-4] + ("AAAA" if body[-4:] != "AAAA" else "BBBB")

    with pytest.raises(crypto.DecryptionError):
        ring.decrypt(tampered, purpose="p")


@pytest.mark.parametrize("text", ["", "short", "!!!!", "A" * 44])
def test_a_malformed_key_is_refused(text):
    with pytest.raises(crypto.KeyConfigError):
        crypto.Keyring.from_texts([text])


def test_the_blind_index_is_stable_short_and_keyed(settings):
    first = crypto.blind_index("email:dana@example.org")

    assert first == crypto.blind_index("email:dana@example.org")
    assert len(first) == 32
    settings.WARDEN_BLIND_INDEX_KEY = "another key"
    assert crypto.blind_index("email:dana@example.org") != first
