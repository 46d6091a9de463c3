"""The HTTP service: FastAPI routes under ``/v1``, API-key roles, problem+json, a web page."""
