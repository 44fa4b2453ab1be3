"""Real services for the integration tests: redis-server and PostgreSQL started in temp dirs on free ports.

They are the dev-stack module's (smartnotes_tools/devstack.py), which the launcher and the benchmarks
share. They fail loudly when the binaries are missing (`make test` installs them); nothing here is skipped.
"""

from __future__ import annotations

from smartnotes_tools.devstack import PG_BIN, PostgresServer, RedisServer, free_port, wait_for

__all__ = ["PG_BIN", "PostgresServer", "RedisServer", "free_port", "wait_for"]
