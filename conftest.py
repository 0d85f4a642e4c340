"""Root conftest: load the project's pytest plugin (servers, personas, browser, Allure).

`base_url` and `browser_type_launch_args` also exist in pytest-base-url and pytest-playwright;
fixtures of a conftest win over every plugin's, so ours are re-exported here.
"""

import pytest

pytest.register_assert_rewrite("fixtures")

from fixtures.plugin import base_url, browser_type_launch_args  # noqa: E402

pytest_plugins = ["fixtures.plugin"]

__all__ = ["base_url", "browser_type_launch_args"]
