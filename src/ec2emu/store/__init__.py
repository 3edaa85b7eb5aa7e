"""Storage: tables, migrations and repositories behind a unit of work.

SQLAlchemy Core, written dialect-neutral (SQLite now, PostgreSQL by URL). Wire names
never reach this package: columns and criteria are snake_case domain names.
"""
