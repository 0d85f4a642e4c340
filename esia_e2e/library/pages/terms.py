"""The failure a patient could have written."""

from __future__ import annotations

from typing import Any


class PatientTermsError(AssertionError):
    """A failure whose first line already says, in the patient's words, what was expected and
    what the patient got; the locator and Playwright's message follow it. Not headed twice.

    Reports print an exception as ``module.Class: message`` (JUnit's and Allure's message come
    from `traceback.format_exception_only`), so our module path would open the very line a QA
    lead reads. This class and its subclasses therefore present themselves as the builtin
    `AssertionError` — «AssertionError: ожидалась страница …», like every failed expectation —
    while `isinstance` and `except PatientTermsError` still tell them apart."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _present_as_assertion(cls)


def _present_as_assertion(cls: type) -> None:
    cls.__module__ = "builtins"
    cls.__qualname__ = "AssertionError"


_present_as_assertion(PatientTermsError)
