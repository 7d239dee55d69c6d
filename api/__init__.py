"""The HTTP API (DESIGN §7): a thin FastAPI app whose routes call :mod:`api.jobs`,
:mod:`api.documents` and :mod:`matcher`, over a durable job store."""
