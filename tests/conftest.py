"""Suite-wide set-up: the property tests' budget (tests/properties.py)."""

import tests.properties  # noqa: F401  (registers and loads the hypothesis profile)
