"""`/idp/ext/Logout`: ends the ESIA SSO session (note ESIA's `redirect_url`, not `redirect_uri`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from mock_esia.request_limits import fields_within_limits
from mock_esia.responses import render
from mock_esia.routegroups import LOGOUT_PATH
from mock_esia.routes.authorize import SESSION_COOKIE
from mock_esia.state import MockEsia

router = APIRouter(include_in_schema=False, dependencies=[Depends(fields_within_limits)])


@router.get(LOGOUT_PATH)
def logout(request: Request) -> Response:
    mock: MockEsia = request.app.state.mock
    mock.store.close_session(request.cookies.get(SESSION_COOKIE))
    client_id = request.query_params.get("client_id")
    target = request.query_params.get("redirect_url")
    response: Response
    if client_id and target and mock.redirect_allowed(mock.resolve_client(client_id), target):
        response = RedirectResponse(target, status_code=302)
    else:
        response = render(request, "logged_out.html")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
