"""The suite's own reading of what a patient gets from Gosuslugi: the recovery code comes from
the message's text, as the patient reads it."""

from __future__ import annotations

import pytest

from esia_e2e.library.esia_expectations import code_in_message


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
