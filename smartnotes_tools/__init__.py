"""Tools run by hand, imported by no service: the ``smartnotes`` command (cli.py), the launcher behind
``make run`` / ``smartnotes up`` (launcher.py) and the local backup and restore (backup.py)."""
