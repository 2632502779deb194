"""What the page benchmarks share: a production-like environment, a database of their own,
gunicorn on a loopback port, and a bounded timing loop (requests/s, p50, p95)."""

import os
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench_env(name: str, db_url: str) -> dict:
    """Production settings over a database and media folders of the bench's own."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "union_portal.settings.production",
        "SECRET_KEY": "bench-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-not-for-real-use",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": db_url,
        "STATIC_ROOT": f"/tmp/bench_{name}_static",
        "MEDIA_ROOT": f"/tmp/bench_{name}_media",
        "PRIVATE_MEDIA_ROOT": f"/tmp/bench_{name}_private",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "60",
    }


def manage(env: dict, *args) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def reset_database(db_url: str) -> None:
    """Start from an empty database: delete the SQLite file, or drop and create the PostgreSQL one."""
    if db_url.startswith("sqlite:///"):
        Path(db_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    elif db_url.startswith("postgres"):
        import psycopg2

        name = db_url.rsplit("/", 1)[1]
        conn = psycopg2.connect(db_url.rsplit("/", 1)[0] + "/postgres")
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()


def setup_django(env: dict) -> None:
    """Fill the bench database in-process with the same settings gunicorn will use."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def request(url: str, cookie: str = "") -> urllib.request.Request:
    return urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})


def wait_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not start at {url}")


def measure(url: str, n: int, cookie: str = "") -> tuple[float, float, float]:
    """n sequential requests after a warm-up: (requests/s, p95 ms, p50 ms); every one must be 200."""
    for _ in range(5):
        urllib.request.urlopen(request(url, cookie), timeout=10).read()
    timings = []
    started = time.perf_counter()
    for _ in range(n):
        t0 = time.perf_counter()
        with urllib.request.urlopen(request(url, cookie), timeout=10) as response:
            response.read()
            assert response.status == 200, response.status
        timings.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - started
    return n / elapsed, statistics.quantiles(timings, n=20)[-1], statistics.median(timings)


@contextmanager
def gunicorn(env: dict, port: int, workers: str):
    """gunicorn with the bench's environment on a loopback port, stopped on exit."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "union_portal.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


def free_port() -> int:
    """A TCP port on the loopback address that nothing listens on right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 30) -> None:
    """Until something accepts connections on the loopback port (SystemExit after timeout)."""
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port}")


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    """Terminate one process we started; kill it when it does not stop in time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


@contextmanager
def redis_server(port: int):
    """A private Redis on a loopback port, without persistence; yields its URL, stopped on exit."""
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--daemonize", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(server)
