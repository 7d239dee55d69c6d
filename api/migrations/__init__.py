"""Alembic migrations of the job store; :func:`api.database.migrate` runs them."""
