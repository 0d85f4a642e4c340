"""ESIA's JWTs: the authorization code, the access token and the id_token, all RS256.

Claim sets follow real tokens quoted by public clients (shared/docs/esia-protocol.md §3-4):
the oid appears as `urn:esia:sbj_id` (access token), `sub` and `urn:esia:sbj` (id_token),
because relying parties read it from all three places.
"""

from __future__ import annotations

import jwt

from mock_esia.clock import Clock
from mock_esia.config import Settings
from mock_esia.errors import RestCatalogue, RestError
from mock_esia.keys import SigningKey
from mock_esia.people.model import AccountLevel, Persona
from mock_esia.scopes import scope_claim

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
    def __init__(self, key: SigningKey, settings: Settings, clock: Clock) -> None:
        self._key = key
        self._settings = settings
        self._clock = clock

    def _sign(self, payload: dict, subject_type: str) -> str:
        return jwt.encode(
            payload,
            self._key.private_key,
            algorithm="RS256",
            headers={"ver": 1, "sbt": subject_type},
        )

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
        )
        return code, float(expires)

    def access_token(self, *, oid: int, client_id: str, scopes: list[str], sid: str) -> str:
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
        )

    def id_token(self, *, persona: Persona, client_id: str, sid: str, auth_time: float) -> str:
        now = int(self._clock.time())
        return self._sign(
            {
                "iss": self._settings.issuer,
                "aud": client_id,
                "sub": str(persona.oid),  # RFC 7519: a string; PyJWT-based RPs reject a number
                "nbf": now,
                "iat": now,
                "exp": now + self._settings.access_token_ttl_seconds,
                "auth_time": int(auth_time),
                "amr": "PWD",
                "urn:esia:amd": "PWD",
                "urn:esia:sid": sid,
                "urn:esia:sbj": subject_claim(persona),
            },
            "id",
        )

    def read_access_token(self, token: str) -> dict:
        """Verify an access token presented to REST; expired and forged tokens differ in code."""
        try:
            header = jwt.get_unverified_header(token)
            if header.get("sbt") != "access":
                raise RestError(RestCatalogue.INVALID_TOKEN)
            claims = jwt.decode(
                token,
                self._key.public_key,
                algorithms=["RS256"],
                issuer=self._settings.issuer,
                options={"verify_exp": False, "require": ["exp", "urn:esia:sbj_id", "scope"]},
            )
        except jwt.PyJWTError:
            raise RestError(RestCatalogue.INVALID_TOKEN) from None
        if claims["exp"] <= self._clock.time():
            raise RestError(RestCatalogue.EXPIRED_TOKEN)
        return claims
