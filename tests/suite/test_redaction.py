"""Secrets are masked before anything reaches a report."""

from __future__ import annotations

import zipfile

from esia_e2e.library.redaction import MASK, redact, redact_exception, redact_trace

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLXZhbHVl"


def test_known_secrets_jwts_and_secret_parameters_are_masked():
    text = (
        f"http://localhost/esia/callback?code={JWT}&state=abc-123 "
        f'password=Esia-12345678 {{"access_token": "{JWT}"}} typed Esia-12345678'
    )
    masked = redact(text, ["Esia-12345678"])
    assert "Esia-12345678" not in masked
    assert JWT not in masked
    assert "abc-123" not in masked
    assert masked.count(MASK) >= 4


def test_an_exceptions_message_is_rewritten_in_place():
    error = AssertionError(f"Actual value: http://x/cb?code={JWT}")
    redact_exception(error, [])
    assert JWT not in str(error)


def test_a_trace_zip_is_rewritten_without_secrets(tmp_path):
    trace = tmp_path / "trace.zip"
    with zipfile.ZipFile(trace, "w") as out:
        out.writestr("trace.trace", f'{{"method":"fill","value":"Esia-87654321"}} {JWT}')
        out.writestr("resources/page.png", b"\x89PNG\x00\xff binary")
    redact_trace(trace, ["Esia-87654321"])
    with zipfile.ZipFile(trace) as source:
        text = source.read("trace.trace").decode()
        assert source.read("resources/page.png") == b"\x89PNG\x00\xff binary"
    assert "Esia-87654321" not in text
    assert JWT not in text
