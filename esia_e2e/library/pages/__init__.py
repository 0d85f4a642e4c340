"""Page objects: one class per page, actions named for what the patient does, `expect_*` checks."""

from esia_e2e.library.pages.cabinet import CabinetPage
from esia_e2e.library.pages.esia_consent import EsiaConsentPage
from esia_e2e.library.pages.esia_login import EsiaLoginPage
from esia_e2e.library.pages.esia_maintenance import EsiaMaintenancePage
from esia_e2e.library.pages.esia_recovery import EsiaRecoveryPage
from esia_e2e.library.pages.portal_error import PortalErrorPage
from esia_e2e.library.pages.portal_home import PortalHomePage

__all__ = [
    "CabinetPage",
    "EsiaConsentPage",
    "EsiaLoginPage",
    "EsiaMaintenancePage",
    "EsiaRecoveryPage",
    "PortalErrorPage",
    "PortalHomePage",
]
