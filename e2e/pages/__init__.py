"""Page objects: one class per page, actions named for what the patient does, `expect_*` checks."""

from esia_e2e.e2e.pages.cabinet import CabinetPage
from esia_e2e.e2e.pages.esia_consent import EsiaConsentPage
from esia_e2e.e2e.pages.esia_login import EsiaLoginPage
from esia_e2e.e2e.pages.esia_maintenance import EsiaMaintenancePage
from esia_e2e.e2e.pages.esia_recovery import EsiaRecoveryPage
from esia_e2e.e2e.pages.portal_error import PortalErrorPage
from esia_e2e.e2e.pages.portal_home import PortalHomePage

__all__ = [
    "CabinetPage",
    "EsiaConsentPage",
    "EsiaLoginPage",
    "EsiaMaintenancePage",
    "EsiaRecoveryPage",
    "PortalErrorPage",
    "PortalHomePage",
]
