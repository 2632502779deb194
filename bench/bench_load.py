"""Bounded load through the real front: python bench/bench_load.py

Starts its own Redis (a private port), gunicorn with the production settings (2 workers) and
Debian's nginx with a self-signed certificate on loopback ports, loads the demo data, then for
BENCH_SECONDS (60) keeps BENCH_CONNECTIONS (16) keep-alive HTTPS connections busy with a mix of
public pages and one signed-in page (/me/). Halfway through a second phase it restarts Redis
(the soak): errors must stay 0 after the restart. Prints requests, errors and p95 per phase.
Database: BENCH_DATABASE_URL (default a SQLite file under /tmp). Exits 1 on any error.
Only loopback addresses are used; the run is bounded in time and count.
"""

import http.client
import os
import random
import re
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
from render import render  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/bench_load.sqlite3")
PUBLIC = ["/", "/news/", "/ten-things/", "/stations/", "/legal/", "/innovation/", "/news/feed/"]
SIGNED_IN = ["/me/"]
MAX_REQUESTS = 200_000  # a hard bound on top of the time limit


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int) -> None:
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing listens on {port}")


def main() -> int:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    work = Path(tempfile.mkdtemp(prefix="bench_load_"))
    redis_port, app_port, https_port, http_port = free_port(), free_port(), free_port(), free_port()
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "union_portal.settings.production",
        "SECRET_KEY": "bench-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-not-for-real-use",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": DB_URL,
        "REDIS_URL": redis_url,
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "PRIVATE_MEDIA_ROOT": str(work / "private"),
        "LOG_LEVEL": "ERROR",
        "CONN_MAX_AGE": "60",
        "GUNICORN_BIND": f"127.0.0.1:{app_port}",
        "GUNICORN_WORKERS": os.environ.get("BENCH_WORKERS", "2"),
    }
    if DB_URL.startswith("sqlite:///"):
        Path(DB_URL.removeprefix("sqlite:///")).unlink(missing_ok=True)

    def redis_start():
        return subprocess.Popen(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )

    def manage(*args):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)

    redis = [redis_start()]  # the running Redis (replaced when the soak restarts it)
    wait_for(redis_port)
    print("Preparing: migrate, demo data, static files …", flush=True)
    manage("migrate", "--noinput")
    manage("load_demo", "--allow-production")
    manage("collectstatic", "--noinput")
    manage("shell", "-c", "from apps.accounts.tests.factories import UserFactory; UserFactory(username='bench')")
    cert, key = work / "cert.pem", work / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    site = render(
        {
            "SERVER_NAME": "127.0.0.1",
            "HTTP_PORT": str(http_port),
            "HTTPS_PORT": str(https_port),
            "TLS_CERT": str(cert),
            "TLS_KEY": str(key),
            "STATIC_ROOT": str(work / "static"),
            "MEDIA_ROOT": str(work / "media"),
            "UPSTREAM": f"127.0.0.1:{app_port}",
        }
    )
    conf = work / "nginx.conf"
    temp = " ".join(f"{name}_temp_path {work}/{name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf.write_text(
        f"user root; daemon off; worker_processes 1; pid {work}/nginx.pid; error_log {work}/error.log error;"
        f"events {{ worker_connections 256; }} http {{ include /etc/nginx/mime.types; access_log off; {temp} {site} }}"
    )
    app = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "union_portal.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    proxy = subprocess.Popen([nginx, "-c", str(conf), "-p", str(work)])
    try:
        wait_for(app_port)
        wait_for(https_port)
        return run_load(https_port, redis_start, redis)
    finally:
        for process in (proxy, app, redis[0]):
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def connect(port):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)


def sign_in(port) -> str:
    conn = connect(port)
    conn.request("GET", "/accounts/login/")
    page = conn.getresponse()
    body = page.read().decode()
    csrf = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = urlencode({"csrfmiddlewaretoken": token, "login": "bench", "password": "pass-1234-word"})
    headers = {
        "Cookie": f"csrftoken={csrf}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"https://127.0.0.1:{port}/accounts/login/",
    }
    conn.request("POST", "/accounts/login/", body=form, headers=headers)
    response = conn.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
    if response.status != 302 or not session:
        raise SystemExit(f"bench sign-in failed ({response.status})")
    return f"sessionid={session.group(1)}"


def phase(port, seconds, cookie, label, during=None):
    latencies, errors, count, lock = [], [], [0], threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(n):
        conn = connect(port)
        rng = random.Random(n)
        while time.monotonic() < deadline:
            with lock:
                if count[0] >= MAX_REQUESTS:
                    return
                count[0] += 1
            signed = rng.random() < 0.2
            path = rng.choice(SIGNED_IN if signed else PUBLIC)
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie} if signed else {})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn = connect(port)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(path)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    if during:
        during()
    for thread in threads:
        thread.join()
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000 if len(latencies) > 20 else float("nan")
    print(
        f"{label:<34} {len(latencies):>7} requests  {len(latencies) / seconds:7.1f} req/s  "
        f"p95 {p95:6.1f} ms  errors {len(errors)}",
        flush=True,
    )
    return errors


def run_load(port, redis_start, redis) -> int:
    cookie = sign_in(port)
    half = max(SECONDS // 2, 5)
    errors = phase(port, half, cookie, f"load ({CONNECTIONS} connections)")

    def restart_redis():
        time.sleep(2)
        redis[0].terminate()
        redis[0].wait(timeout=10)
        time.sleep(2)  # two seconds with no Redis at all
        redis[0] = redis_start()

    errors += phase(port, half, cookie, "soak, Redis restarted at +2 s", during=restart_redis)
    print("0 errors" if not errors else f"ERRORS on {sorted(set(errors))}")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
