"""Validation of ESIA's id_token as production issues it: RS256 or GOST3410_2012_256, with
`sub` a **number** (PyJWT ≥ 2.10 refuses that by default, so `sub` is checked here instead).

ESIA's certificates are configured (one PEM file may hold the RSA and the GOST one); the
token's `alg` picks the key. Signature, `iss`, `aud`, `exp`, `nbf` and `iat` are checked, and the
oid must agree wherever the token carries it.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

import jwt
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import rsa

from esia_e2e.portal import gost

_PEM = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)
GOST256 = "GOST3410_2012_256"
REQUIRED = ["exp", "iat", "iss", "aud", "sub"]


class IdTokenError(ValueError):
    """Why an id_token was refused."""


def _der(pem: str) -> bytes:
    body = "".join(line for line in pem.splitlines() if "-----" not in line)
    return base64.b64decode(body)


class IdTokenValidator:
    def __init__(
        self, certificates_pem: str, client_id: str, issuer: str, leeway: int = 60
    ) -> None:
        self._rsa: rsa.RSAPublicKey | None = None
        self._gost: gost.GostVerifyingKey | None = None
        for block in _PEM.findall(certificates_pem):
            try:
                key = x509.load_pem_x509_certificate(block.encode()).public_key()
            except (ValueError, UnsupportedAlgorithm):
                self._gost = gost.verifying_key(_der(block))
                continue
            if isinstance(key, rsa.RSAPublicKey):
                self._rsa = key
        if self._rsa is None and self._gost is None:
            raise ValueError("no RSA or GOST certificate of ESIA was configured")
        self._client_id, self._issuer, self._leeway = client_id, issuer, leeway

    def validate(self, token: str) -> dict:
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
        except jwt.PyJWTError as exc:
            raise IdTokenError(f"not a JWT: {exc}") from None
        checks: dict[str, Any] = {
            "audience": self._client_id,
            "issuer": self._issuer,
            "leeway": self._leeway,
        }
        try:
            if algorithm == "RS256" and self._rsa is not None:
                claims = jwt.decode(
                    token,
                    self._rsa,
                    algorithms=["RS256"],
                    options={"require": REQUIRED, "verify_sub": False},
                    **checks,
                )
            elif algorithm == GOST256 and self._gost is not None:
                self._verify_gost(token)
                claims = jwt.decode(
                    token,
                    options={
                        "verify_signature": False,
                        "verify_exp": True,
                        "verify_nbf": True,
                        "verify_iat": True,
                        "verify_aud": True,
                        "verify_iss": True,
                        "verify_sub": False,
                        "require": REQUIRED,
                    },
                    **checks,
                )
            else:
                raise IdTokenError(f"no ESIA certificate for alg {algorithm!r}")
        except jwt.PyJWTError as exc:
            raise IdTokenError(str(exc)) from None
        claims["sub"] = self._oid(claims)
        return claims

    def _verify_gost(self, token: str) -> None:
        assert self._gost is not None
        signing_input, _, signature = token.rpartition(".")
        try:
            raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
        except (binascii.Error, ValueError):
            raise IdTokenError("the GOST signature is not base64url") from None
        if not self._gost.verify(signing_input.encode(), raw):
            raise IdTokenError("the GOST signature does not verify with ESIA's certificate")

    @staticmethod
    def _oid(claims: dict) -> int:
        """`sub` as production sends it (a number; a digit string is tolerated), equal to
        `urn:esia:sbj:oid` when that is there."""
        sub = claims["sub"]
        if isinstance(sub, bool) or not isinstance(sub, int | str) or not str(sub).isdecimal():
            raise IdTokenError(f"sub is not an oid: {sub!r}")
        oid = int(sub)
        subject = claims.get("urn:esia:sbj")
        nested = subject.get("urn:esia:sbj:oid") if isinstance(subject, dict) else None
        if nested is not None and nested != oid:
            raise IdTokenError("sub and urn:esia:sbj:oid disagree")
        return oid
