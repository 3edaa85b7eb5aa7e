"""Alembic migrations for the ec2emu schema (run at start by :func:`ec2emu.store.engine.migrate`)."""
