"""Web pages of the directives app: directives.py (documents and tasks), progress.py (the
work units do on their assignments and the monitor's review of it)."""
