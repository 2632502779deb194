"""The real parts in front: nginx (Debian's) with a self-signed certificate, gunicorn with the
production settings, and the checks a deployment must pass, end to end over HTTPS."""

import http.client
import re
import socket
import ssl
import subprocess
import sys
import time
from urllib.parse import urlencode

import pytest

from .conftest import ROOT, manage, need, production_env

pytestmark = [pytest.mark.slow, pytest.mark.services, pytest.mark.django_db(transaction=True)]

sys.path.insert(0, str(ROOT / "deploy"))
from render import render  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port}")


@pytest.fixture
def stack(postgres, tmp_path):
    """gunicorn (production settings, one worker) behind nginx on loopback ports; yields the ports."""
    nginx = need("nginx", "nginx")
    need("openssl", "openssl")
    env = production_env(tmp_path, DATABASE_URL=postgres)
    manage("collectstatic", "--noinput", "-v", "0", env=env)
    media = tmp_path / "media"
    (media / "tenthings").mkdir(parents=True)
    (media / "tenthings" / "evil.html").write_text("<script>alert(document.cookie)</script>", encoding="utf-8")
    (media / "tenthings" / "report.pdf").write_bytes(b"%PDF-1.4 <html><script>alert(1)</script>")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    site = render(
        {
            "SERVER_NAME": "127.0.0.1 localhost",
            "HTTP_PORT": str(http_port),
            "HTTPS_PORT": str(https_port),
            "TLS_CERT": str(cert),
            "TLS_KEY": str(key),
            "STATIC_ROOT": str(tmp_path / "static"),
            "MEDIA_ROOT": str(media),
            "UPSTREAM": f"127.0.0.1:{app_port}",
        }
    )
    logs = tmp_path / "nginx"
    logs.mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"""
user root;
daemon off;
worker_processes 1;
pid {logs}/nginx.pid;
error_log {logs}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {logs}/body;
    proxy_temp_path {logs}/proxy;
    fastcgi_temp_path {logs}/fastcgi;
    uwsgi_temp_path {logs}/uwsgi;
    scgi_temp_path {logs}/scgi;
{site}
}}
""",
        encoding="utf-8",
    )
    app = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "union_portal.wsgi"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{app_port}", "GUNICORN_WORKERS": "1"},
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.log").open("w"),
    )
    proxy = subprocess.Popen([nginx, "-c", str(conf), "-p", str(logs)], stderr=subprocess.PIPE)
    try:
        wait_for(app_port)
        time.sleep(0.5)
        assert proxy.poll() is None, "nginx did not start: " + proxy.stderr.read().decode()
        wait_for(https_port)
        yield {"http": http_port, "https": https_port, "log": tmp_path / "gunicorn.log"}
    finally:
        for process in (proxy, app):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def request(port, method, path, *, tls=True, source="127.0.0.1", headers=None, body=None):
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, source_address=(source, 0), timeout=20)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, source_address=(source, 0), timeout=20)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    response.text = response.read().decode("utf-8", "replace")
    conn.close()
    return response


def test_https_redirect_hsts_static_media_and_client_addresses_through_nginx(stack):
    """One stack for all checks: starting it (collectstatic, gunicorn, nginx) is the slow part."""
    check_https_redirect_hsts_static_and_media_headers(stack)
    check_public_pages_are_cached_and_revalidated_through_the_proxy(stack)
    check_rate_limits_see_each_client_address_through_the_proxy(stack)


def check_https_redirect_hsts_static_and_media_headers(stack):
    plain = request(stack["http"], "GET", "/news/?page=2", tls=False)
    assert plain.status == 301
    assert plain.getheader("Location") == f"https://127.0.0.1:{stack['https']}/news/?page=2"

    home = request(stack["https"], "GET", "/")
    assert home.status == 200, stack["log"].read_text()[-3000:]
    assert "max-age=31536000" in home.getheader("Strict-Transport-Security")

    css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home.text)
    assert css, "pages link the hashed name of the stylesheet"
    static = request(stack["https"], "GET", css.group(1))
    assert static.status == 200 and static.getheader("Cache-Control") == "public, max-age=31536000, immutable"

    evil = request(stack["https"], "GET", "/media/tenthings/evil.html")
    assert evil.status == 200
    assert evil.getheader("Content-Disposition") == "attachment"
    assert evil.getheader("Content-Type") == "application/octet-stream"
    assert evil.getheader("X-Content-Type-Options") == "nosniff"
    pdf = request(stack["https"], "GET", "/media/tenthings/report.pdf")
    assert pdf.getheader("Content-Disposition") == "attachment" and pdf.getheader("Content-Type") == "application/pdf"


def check_public_pages_are_cached_and_revalidated_through_the_proxy(stack):
    first = request(stack["https"], "GET", "/news/")
    again = request(stack["https"], "GET", "/news/")
    assert again.getheader("X-Page-Cache") == "hit" and again.text == first.text
    assert again.getheader("Cache-Control") == "public, max-age=0, must-revalidate"
    assert "Cookie" in again.getheader("Vary") and again.getheader("Set-Cookie") is None
    etag = again.getheader("ETag")
    assert request(stack["https"], "GET", "/news/", headers={"If-None-Match": etag}).status == 304
    signed = request(stack["https"], "GET", "/news/", headers={"Cookie": "sessionid=whoever"})
    assert signed.getheader("X-Page-Cache") is None and "private" in signed.getheader("Cache-Control")


TOO_MANY = "Too many failed sign-ins"


def _failed_login(port, source, username, forged=None):
    page = request(port, "GET", "/accounts/login/", source=source, headers={"Cookie": "django_language=en"})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie")).group(1)
    headers = {
        "Cookie": f"csrftoken={cookie}; django_language=en",
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"https://127.0.0.1:{port}/accounts/login/",
    }
    if forged:
        headers["X-Real-IP"] = forged  # a client trying to choose its own address
    body = urlencode({"csrfmiddlewaretoken": token, "login": username, "password": "wrong-password"})
    return request(port, "POST", "/accounts/login/", source=source, headers=headers, body=body)


def check_rate_limits_see_each_client_address_through_the_proxy(stack):
    port = stack["https"]
    # Ten failed sign-ins from one address (different accounts, so only the per-address limit counts) …
    for n in range(10):
        failed = _failed_login(port, "127.0.0.2", f"nobody{n}")
        # A real failed sign-in, in the portal's words (apps/accounts/adapters.py).
        assert failed.status == 200 and "please check and try again" in failed.text
        assert TOO_MANY not in failed.text
    blocked = _failed_login(port, "127.0.0.2", "nobody-else", forged="10.9.8.7")
    assert TOO_MANY in blocked.text  # a forged X-Real-IP changes nothing
    # … and another person, behind the same proxy but at another address, can still sign in.
    assert TOO_MANY not in _failed_login(port, "127.0.0.3", "someone").text
