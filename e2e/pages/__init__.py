"""Page objects: one class per page, actions named for what the patient does, `expect_*` checks."""

from e2e.pages.cabinet import CabinetPage
from e2e.pages.esia_consent import EsiaConsentPage
from e2e.pages.esia_login import EsiaLoginPage
from e2e.pages.esia_maintenance import EsiaMaintenancePage
from e2e.pages.esia_recovery import EsiaRecoveryPage
from e2e.pages.portal_error import PortalErrorPage
from e2e.pages.portal_home import PortalHomePage

__all__ = [
    "CabinetPage",
    "EsiaConsentPage",
    "EsiaLoginPage",
    "EsiaMaintenancePage",
    "EsiaRecoveryPage",
    "PortalErrorPage",
    "PortalHomePage",
]
