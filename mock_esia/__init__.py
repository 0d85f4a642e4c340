"""A protocol-faithful ESIA (Госуслуги) test double: library first, CLI second, service third."""

from mock_esia.app import create_app
from mock_esia.config import Settings

__all__ = ["Settings", "create_app"]
