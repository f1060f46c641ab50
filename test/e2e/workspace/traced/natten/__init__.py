# Shape-only stand-in for NATTEN 0.21 (the e2e tests trace a run with it; no torch here).
__version__ = "0.21.0"

from .functional import na2d  # noqa: F401
