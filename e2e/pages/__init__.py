"""Page objects: one class per page, actions named for what the patient does, `expect_*` checks."""

from e2e.pages.cabinet import CabinetPage
from e2e.pages.esia_consent import EsiaConsentPage
from e2e.pages.esia_login import EsiaLoginPage
from e2e.pages.portal_home import PortalHomePage

__all__ = ["CabinetPage", "EsiaConsentPage", "EsiaLoginPage", "PortalHomePage"]
