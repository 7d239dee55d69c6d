"""The HTTP API (DESIGN §7): a thin FastAPI app over matcher.run; built in its own issue."""
