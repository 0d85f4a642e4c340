"""ESIA's JWTs: the authorization code, the access token and the id_token.

Shapes follow real tokens (docs/esia-protocol.md §3-4 and §11): the header is
`{"ver", "typ", "sbt", "alg"}` in ESIA's order (`ver: 0` on the id_token, 1 otherwise); the oid
appears as `urn:esia:sbj_id` (access token), `sub` (a number, as production sends it) and
`urn:esia:sbj` (id_token), because relying parties read it from all three places.
Tokens are RS256 by default, or GOST3410_2012_256 (`--token-alg`, or per client): the GOST
signature is s‖r over Streebog-256 of `header.payload`, as OpenSSL's engine writes it.
"""

from __future__ import annotations

import base64
import binascii
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from mock_esia.clock import Clock
from mock_esia.config import Settings
from mock_esia.crypto import gost
from mock_esia.errors import RestCatalogue, RestError
from mock_esia.keys import GostSigningKey, SigningKey
from mock_esia.people.model import AccountLevel, Persona
from mock_esia.scopes import scope_claim

RS256 = "RS256"
GOST256 = "GOST3410_2012_256"
TOKEN_ALGORITHMS = (RS256, GOST256)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_LEVEL_CLAIM = {
    AccountLevel.CONFIRMED: "PR",
    AccountLevel.STANDARD: "P",
    AccountLevel.SIMPLIFIED: "P",
}


def subject_claim(persona: Persona) -> dict:
    """`urn:esia:sbj` as ESIA nests it; `is_tru` appears only for a confirmed account."""
    claim: dict = {
        "urn:esia:sbj:typ": "P",
        "urn:esia:sbj:oid": persona.oid,
        "urn:esia:sbj:nam": f"OID.{persona.oid}",
        "urn:esia:sbj:lvl": _LEVEL_CLAIM[persona.level],
    }
    if persona.trusted:
        claim["urn:esia:sbj:is_tru"] = True
    return claim


class TokenIssuer:
    def __init__(
        self, key: SigningKey, settings: Settings, clock: Clock, gost_key: GostSigningKey
    ) -> None:
        self._key = key
        self._gost_key = gost_key
        self._settings = settings
        self._clock = clock
        self._foreign_issuer: TokenIssuer | None = None

    def _sign(
        self, payload: dict, subject_type: str, algorithm: str | None = None, version: int = 1
    ) -> str:
        algorithm = algorithm or self._settings.token_alg
        header = {"ver": version, "typ": "JWT", "sbt": subject_type, "alg": algorithm}
        compact = (",", ":")
        signing_input = (
            _b64url(json.dumps(header, separators=compact).encode())
            + "."
            + _b64url(json.dumps(payload, separators=compact, ensure_ascii=False).encode())
        ).encode()
        if algorithm == GOST256:
            signature = self._gost_key.key.sign(signing_input)
        else:
            signature = self._key.private_key.sign(
                signing_input, padding.PKCS1v15(), hashes.SHA256()
            )
        return f"{signing_input.decode()}.{_b64url(signature)}"

    def _verified_claims(self, token: str) -> tuple[dict, dict]:
        """(header, claims) of one of our own tokens, or `ValueError` if it is not one."""
        try:
            header_b64, payload_b64, signature_b64 = token.split(".")
            header = json.loads(_unb64url(header_b64))
            claims = json.loads(_unb64url(payload_b64))
            signature = _unb64url(signature_b64)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise ValueError("not a JWT") from None
        if not isinstance(header, dict) or not isinstance(claims, dict):
            raise ValueError("not a JWT")
        signing_input = f"{header_b64}.{payload_b64}".encode()
        if header.get("alg") == GOST256:
            key = gost.public_key(self._gost_key.certificate_der)
            if not gost.verify_digest(signature, gost.streebog(signing_input), key):
                raise ValueError("bad signature")
        elif header.get("alg") == RS256:
            try:
                self._key.public_key.verify(
                    signature, signing_input, padding.PKCS1v15(), hashes.SHA256()
                )
            except InvalidSignature:
                raise ValueError("bad signature") from None
        else:
            raise ValueError("unknown alg")
        return header, claims

    def authorization_code(
        self,
        *,
        persona: Persona,
        client_id: str,
        scopes: list[str],
        sid: str,
        auth_time: float,
        state: str,
        remote_ip: str,
        user_agent: str,
        algorithm: str | None = None,
    ) -> tuple[str, float]:
        now = int(self._clock.time())
        expires = now + self._settings.code_ttl_seconds
        code = self._sign(
            {
                "nbf": now,
                "iat": now,
                "exp": expires,
                "auth_time": int(auth_time),
                "iss": self._settings.issuer,
                "client_id": client_id,
                "scope": scope_claim(scopes, persona.oid),
                "urn:esia:sid": sid,
                "urn:esia:client:state": state,
                "auth_mthd": "PWD",
                "urn:esia:sbj": {**subject_claim(persona), "urn:esia:sbj:eid": persona.oid},
                "params": {"remote_ip": remote_ip, "user_agent": user_agent[:200]},
            },
            "authorization_code",
            algorithm,
        )
        return code, float(expires)

    def access_token(
        self,
        *,
        oid: int,
        client_id: str,
        scopes: list[str],
        sid: str,
        algorithm: str | None = None,
    ) -> str:
        now = int(self._clock.time())
        return self._sign(
            {
                "nbf": now,
                "iat": now,
                "exp": now + self._settings.access_token_ttl_seconds,
                "iss": self._settings.issuer,
                "client_id": client_id,
                "urn:esia:sid": sid,
                "urn:esia:sbj_id": oid,
                "scope": scope_claim(scopes, oid),
            },
            "access",
            algorithm,
        )

    def id_token(
        self,
        *,
        persona: Persona,
        client_id: str,
        sid: str,
        auth_time: float,
        algorithm: str | None = None,
    ) -> str:
        """Production's shape (April 2022): `sub` a number, `ver: 0`, 10,800 s. PyJWT ≥ 2.10
        refuses a numeric `sub` by default; relying parties must handle it, as with ESIA."""
        now = int(self._clock.time())
        return self._sign(
            {
                "aud": client_id,
                "sub": persona.oid,
                "nbf": now,
                "amr": "PWD",
                "urn:esia:amd": "PWD",
                "auth_time": int(auth_time),
                "iss": self._settings.issuer,
                "urn:esia:sid": sid,
                "urn:esia:sbj": subject_claim(persona),
                "exp": now + self._settings.id_token_ttl_seconds,
                "iat": now,
            },
            "id",
            algorithm,
            version=0,
        )

    def tampered_id_token(self, token: str, how: str) -> str:
        """One of our own id_tokens spoilt as an attacker or a broken proxy would spoil it, for
        the `tamper` fault: a relying party must refuse each (ESIA's tokens are signed, dated and
        addressed). `how`: foreign_key (a valid signature by a key that is not ESIA's), expired,
        audience (addressed to another system), alg_none (unsigned, `alg: none`)."""
        header_b64, payload_b64, _ = token.split(".")
        header = json.loads(_unb64url(header_b64))
        claims = json.loads(_unb64url(payload_b64))
        algorithm = str(header.get("alg", RS256))
        now = int(self._clock.time())
        if how == "expired":
            span = int(claims.get("exp", now)) - int(claims.get("iat", now))
            claims.update(iat=now - span - 3600, nbf=now - span - 3600, exp=now - 3600)
        elif how == "audience":
            claims["aud"] = "OTHER_SYSTEM"
        if how == "alg_none":
            header["alg"] = "none"
            compact = (",", ":")
            return (
                _b64url(json.dumps(header, separators=compact).encode())
                + "."
                + _b64url(json.dumps(claims, separators=compact, ensure_ascii=False).encode())
                + "."
            )
        if how == "foreign_key":
            return self._foreign().sign_as(claims, algorithm)
        return self._sign(
            claims, str(header.get("sbt", "id")), algorithm, int(header.get("ver", 0))
        )

    def _foreign(self) -> TokenIssuer:
        """An issuer like this one with keys that are not ESIA's (made once, on first use)."""
        if self._foreign_issuer is None:
            self._foreign_issuer = TokenIssuer(
                SigningKey.generate(), self._settings, self._clock, GostSigningKey.generate()
            )
        return self._foreign_issuer

    def sign_as(self, claims: dict, algorithm: str) -> str:
        return self._sign(claims, "id", algorithm, version=0)

    def read_access_token(self, token: str) -> dict:
        """Verify an access token presented to REST; expired and forged tokens differ in code."""
        try:
            header, claims = self._verified_claims(token)
        except ValueError:
            raise RestError(RestCatalogue.INVALID_TOKEN) from None
        if (
            header.get("sbt") != "access"
            or claims.get("iss") != self._settings.issuer
            or not isinstance(claims.get("exp"), int | float)
            or not isinstance(claims.get("urn:esia:sbj_id"), int)
            or not isinstance(claims.get("scope"), str)
        ):
            raise RestError(RestCatalogue.INVALID_TOKEN)
        if claims["exp"] <= self._clock.time():
            raise RestError(RestCatalogue.EXPIRED_TOKEN)
        return claims
