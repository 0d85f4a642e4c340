"""`/idp/ext/Logout`: ends the ESIA SSO session (note ESIA's `redirect_url`, not `redirect_uri`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mock_esia.responses import render
from mock_esia.routegroups import LOGOUT_PATH
from mock_esia.routes.authorize import SESSION_COOKIE
from mock_esia.routes.protocol import protocol_route
from mock_esia.state import MockEsia


async def logout(request: Request) -> Response:
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


ROUTES = [protocol_route(LOGOUT_PATH, logout, ["GET"])]
