"""ESIA scopes: their consent-screen texts and the data each one opens.

The texts of the thirteen rights on the portal's help page are copied verbatim; the other
texts follow the same style. Scope names come from public ESIA clients
(see docs/esia-protocol.md §5).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Scope:
    name: str
    consent_text: str
    personal: bool = True  # personal scopes carry `?oid=` in the access token's scope claim


_CATALOGUE = (
    # The thirteen rights of the help page, in its order.
    Scope("email", "Просмотр вашего адреса электронной почты"),
    Scope("birth_cert_doc", "Просмотр данных вашего свидетельства о рождении"),
    Scope("openid", "Проведение входа в систему", personal=False),
    Scope(
        "kid_medical_doc",
        "Просмотр данных полиса обязательного медицинского страхования (ОМС) ребенка",
    ),
    Scope("drivers_licence_doc", "Просмотр данных вашего водительского удостоверения"),
    Scope("kid_fullname", "Просмотр фамилии, имени и отчества ребенка"),
    Scope("snils", "Просмотр вашего СНИЛС"),
    Scope("contacts", "Просмотр данных о ваших контактах и адресах"),
    Scope("inn", "Просмотр вашего ИНН"),
    Scope(
        "medical_doc",
        "Просмотр данных вашего полиса обязательного медицинского страхования (ОМС)",
    ),
    Scope("birthdate", "Просмотр даты вашего рождения"),
    Scope("usr_org", "Просмотр списка организаций пользователя"),
    Scope("kid_birth_cert_doc", "Просмотр данных свидетельства о рождении ребенка"),
    # Further scopes real clients ask for.
    Scope("fullname", "Просмотр вашей фамилии, имени и отчества"),
    Scope("id_doc", "Просмотр данных о вашем документе, удостоверяющем личность"),
    Scope("gender", "Просмотр вашего пола"),
    Scope("birthplace", "Просмотр места вашего рождения"),
    Scope("mobile", "Просмотр номера вашего мобильного телефона"),
    Scope("addresses", "Просмотр ваших адресов"),
    Scope("foreign_passport_doc", "Просмотр данных вашего заграничного паспорта"),
    Scope("kid_birthdate", "Просмотр даты рождения ребенка"),
    Scope("kid_gender", "Просмотр пола ребенка"),
    Scope("kid_snils", "Просмотр СНИЛС ребенка"),
    Scope("kid_inn", "Просмотр ИНН ребенка"),
    # Further scopes of the recommendations' list (docs/esia-protocol.md §11).
    Scope("citizenship", "Просмотр данных о вашем гражданстве"),
    Scope("military_doc", "Просмотр данных вашего военного билета"),
    Scope("residence_doc", "Просмотр данных вашего вида на жительство"),
    Scope(
        "temporary_residence_doc",
        "Просмотр данных вашего разрешения на временное проживание",
    ),
    Scope("vehicles", "Просмотр данных о ваших транспортных средствах"),
    Scope("usr_avt", "Просмотр вашего изображения (аватара)"),
    Scope("self_employed", "Просмотр сведений о вашем статусе самозанятого"),
)

SCOPES: dict[str, Scope] = {scope.name: scope for scope in _CATALOGUE}

HELP_PAGE_SCOPES: tuple[str, ...] = tuple(s.name for s in _CATALOGUE[:13])

# Which person fields each scope opens on /rs/prns/{oid}.
PERSON_FIELDS: dict[str, tuple[str, ...]] = {
    "fullname": ("firstName", "lastName", "middleName"),
    "birthdate": ("birthDate",),
    "gender": ("gender",),
    "birthplace": ("birthPlace",),
    "snils": ("snils",),
    "inn": ("inn",),
    "citizenship": ("citizenship",),
}
# Which document types each scope opens on /rs/prns/{oid}/docs.
DOCUMENT_SCOPES: dict[str, tuple[str, ...]] = {
    "id_doc": ("RF_PASSPORT", "FID_DOC"),
    "medical_doc": ("MDCL_PLCY",),
    "drivers_licence_doc": ("RF_DRIVING_LICENSE",),
    "birth_cert_doc": ("RF_BRTH_CERT", "FID_BRTH_CERT", "OLD_BRTH_CERT"),
    "foreign_passport_doc": ("FRGN_PASS",),
    "military_doc": ("MLTR_ID",),
}
CONTACT_SCOPES: dict[str, tuple[str, ...]] = {
    "contacts": ("MBT", "EML", "PHN"),
    "email": ("EML",),
    "mobile": ("MBT",),
}
ADDRESS_SCOPES = frozenset({"contacts", "addresses"})
KID_FIELDS: dict[str, tuple[str, ...]] = {
    "kid_fullname": ("firstName", "lastName", "middleName"),
    "kid_birthdate": ("birthDate",),
    "kid_gender": ("gender",),
    "kid_snils": ("snils",),
    "kid_inn": ("inn",),
}
KID_DOCUMENT_SCOPES: dict[str, tuple[str, ...]] = {
    "kid_birth_cert_doc": ("RF_BRTH_CERT",),
    "kid_medical_doc": ("MDCL_PLCY",),
}
KID_SCOPES = frozenset(KID_FIELDS) | frozenset(KID_DOCUMENT_SCOPES)


def unknown_scopes(names: list[str]) -> list[str]:
    return [name for name in names if name not in SCOPES]


def scope_claim(names: list[str], oid: int) -> str:
    """The access token's `scope` claim: personal scopes carry `?oid=`."""
    return " ".join(f"{name}?oid={oid}" if SCOPES[name].personal else name for name in names)
