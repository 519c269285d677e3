"""Making a database ready before a command uses it."""

from __future__ import annotations


def prepare_database() -> None:
    """Apply any unapplied migrations (creating the SQLite file and loading reference
    facts on first use), so every `lantern` command works on a fresh machine.

    Touches the database; a no-op costing one query when everything is applied.
    """
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0, interactive=False)
