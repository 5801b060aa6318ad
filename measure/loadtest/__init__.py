"""The load test: people at work on the national dataset, driven by locust against
gunicorn with production settings on loopback (`manage.py loadtest`, `make loadtest`)."""


def marker(run: str) -> str:
    """The text every report of run ``run`` carries, to find them in the database."""
    return f"[tải thử {run}]"
