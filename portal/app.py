"""The reference patient portal («личный кабинет пациента»): an ESIA relying party.

`create_app` only assembles: the state (state.py), the static files, the routes (routes.py).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from esia_e2e.portal.config import PortalSettings
from esia_e2e.portal.error_pages import PACKAGE_DIR, TEMPLATES, error_page
from esia_e2e.portal.routes import CALLBACK_PATH, SESSION_COOKIE, is_loopback_host, router
from esia_e2e.portal.state import PortalState

# Kept importable from here, where they were before the routes moved out.
__all__ = [
    "CALLBACK_PATH",
    "PACKAGE_DIR",
    "SESSION_COOKIE",
    "TEMPLATES",
    "PortalState",
    "create_app",
    "error_page",
    "is_loopback_host",
]


def create_app(settings: PortalSettings | None = None) -> FastAPI:
    app = FastAPI(
        title="Личный кабинет пациента (reference portal)",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # a patient portal publishes no API schema
    )
    app.state.portal = PortalState(settings or PortalSettings.from_env())
    app.mount("/static", StaticFiles(directory=PACKAGE_DIR / "static"), name="static")
    app.include_router(router)
    return app
