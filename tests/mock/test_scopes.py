"""The consent screen's texts are the help page's, word for word."""

from __future__ import annotations

from pathlib import Path

from mock_esia.scopes import HELP_PAGE_SCOPES, SCOPES

# The thirteen lines of «Предоставление прав доступа» copied from the portal's help page
# (docs/help-page-login.txt), without the page's trailing icons.
HELP_PAGE_RIGHTS = (
    (Path(__file__).parents[1] / "data" / "help_page_rights.txt").read_text().splitlines()
)


def test_the_thirteen_rights_of_the_help_page_are_verbatim_and_in_order():
    assert [SCOPES[name].consent_text for name in HELP_PAGE_SCOPES] == HELP_PAGE_RIGHTS


def test_only_openid_is_not_personal():
    assert [s.name for s in SCOPES.values() if not s.personal] == ["openid"]
