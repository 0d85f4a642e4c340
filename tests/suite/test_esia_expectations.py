"""The suite's own reading of what a patient gets from Gosuslugi: the recovery code comes from
the message's text, as the patient reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from esia_e2e.library.esia_expectations import CONSENT_SOURCES, HELP_PAGE, code_in_message
from mock_esia.scopes import SCOPES


def test_the_code_is_read_from_the_text_of_the_message():
    message = {
        "channel": "sms",
        "text": "Код для восстановления пароля: 042917. Никому его не сообщайте.",
        "code": "000000",
    }
    assert code_in_message(message) == "042917"


@pytest.mark.parametrize(
    "text",
    [
        "Код для восстановления пароля: . Никому его не сообщайте.",
        "Коды 123456 и 654321",
        "код 12345",
        "код 1234567",
    ],
)
def test_a_message_without_exactly_one_six_digit_code_fails_the_scenario(text):
    with pytest.raises(AssertionError, match="one six-digit code"):
        code_in_message({"channel": "sms", "text": text, "code": "123456"})


def test_every_scope_the_mock_serves_has_an_expected_consent_text_with_its_source():
    """A portal may ask for any scope the mock serves (e.g. `kid_birthdate`); its first login
    must not fail for want of an expected text. The help page's rights are quoted from it."""
    assert set(CONSENT_SOURCES) == set(SCOPES)
    rights = (Path(__file__).parents[1] / "data" / "help_page_rights.txt").read_text()
    quoted = {scope for scope, (_, source) in CONSENT_SOURCES.items() if source == HELP_PAGE}
    assert len(quoted) == 13
    for scope in quoted:
        assert CONSENT_SOURCES[scope][0] in rights.splitlines(), scope
