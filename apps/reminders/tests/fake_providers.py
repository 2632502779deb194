"""A fake WeChat API and a fake Aliyun SMS endpoint, served over real HTTP on loopback.

Every request is recorded (method, path, query, JSON body). ``mode`` per service says how it
answers: "ok"; "refuse" (an error answer: WeChat errcode 43004 not following, Aliyun a bad
number); "cap" (WeChat 45047, Aliyun isv.DAY_LIMIT_CONTROL); "outage" (HTTP 503); "hang" (no
answer until the client times out); "hold" (record, then answer only when ``release`` is set —
the caller is killed meanwhile).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeProviders:
    def __init__(self):
        self.requests: list[dict] = []
        self.mode = {"wechat": "ok", "sms": "ok"}
        self.release = threading.Event()
        self.received = threading.Event()
        self.tokens_issued = 0
        self.expired_tokens: set[str] = set()
        self.followers = True
        self.openid_of_code: dict[str, str] = {}
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def sent(self, service: str) -> list[dict]:
        """The message sends (not token or login calls) that reached a service."""
        if service == "sms":
            return [r for r in self.requests if r["query"].get("Action") == "SendSms"]
        return [r for r in self.requests if r["path"].startswith("/cgi-bin/message/")]

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: dict):
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the caller is gone (killed, or timed out)

            def _handle(self, method):
                parsed = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parsed.query))
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length).decode()) if length else None
                record = {"method": method, "path": parsed.path, "query": query, "body": body}
                with fake._lock:
                    fake.requests.append(record)
                service = "sms" if parsed.path == "/" else "wechat"
                is_send = service == "sms" or parsed.path.startswith("/cgi-bin/message/")
                if is_send:
                    fake.received.set()
                    mode = fake.mode[service]
                    if mode == "outage":
                        return self._answer(503, {"error": "service unavailable"})
                    if mode == "hang":
                        time.sleep(3)
                        return self._answer(200, {"errcode": 0} if service == "wechat" else {"Code": "OK"})
                    if mode == "hold":
                        fake.release.wait(60)
                if service == "sms":
                    return self._sms(query)
                return self._wechat(parsed.path, query, body)

            def _sms(self, query):
                mode = fake.mode["sms"]
                if mode == "refuse":
                    return self._answer(200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "bad number"})
                if mode == "cap":
                    return self._answer(200, {"Code": "isv.DAY_LIMIT_CONTROL", "Message": "day limit"})
                return self._answer(200, {"Code": "OK", "BizId": f"biz-{len(fake.requests)}"})

            def _wechat(self, path, query, body):
                if path == "/cgi-bin/token":
                    with fake._lock:
                        fake.tokens_issued += 1
                        token = f"token-{fake.tokens_issued}"
                    return self._answer(200, {"access_token": token, "expires_in": 7200})
                if path == "/sns/jscode2session":
                    code = query.get("js_code", "")
                    if code not in fake.openid_of_code:
                        return self._answer(200, {"errcode": 40029, "errmsg": "invalid code"})
                    openid = fake.openid_of_code.pop(code)  # a code is good once
                    return self._answer(200, {"openid": openid, "session_key": "SESSION-KEY-SECRET"})
                if path == "/sns/oauth2/access_token":
                    code = query.get("code", "")
                    if code not in fake.openid_of_code:
                        return self._answer(200, {"errcode": 40029, "errmsg": "invalid code"})
                    return self._answer(200, {"openid": fake.openid_of_code.pop(code), "access_token": "web"})
                if query.get("access_token") in fake.expired_tokens:
                    return self._answer(200, {"errcode": 42001, "errmsg": "access_token expired"})
                if path == "/cgi-bin/user/info":
                    return self._answer(200, {"subscribe": 1 if fake.followers else 0, "openid": query.get("openid")})
                mode = fake.mode["wechat"]
                if mode == "refuse":
                    return self._answer(200, {"errcode": 43004, "errmsg": "require subscribe"})
                if mode == "cap":
                    return self._answer(200, {"errcode": 45047, "errmsg": "out of send limit"})
                return self._answer(200, {"errcode": 0, "errmsg": "ok", "msgid": len(fake.requests)})

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

        return Handler


def provider_settings(url: str) -> dict:
    """Settings (and environment, for a worker process) that send every channel to the fakes."""
    kinds = "general,enrolment.offered,legal_aid.appointment,enrolment.satisfaction"
    return {
        "REMINDER_WECHAT_SENDER": "apps.reminders.channels.senders.WeChatApiSender",
        "WECHAT_API_BASE": url,
        "WECHAT_OPEN_BASE": url,
        "WECHAT_TIMEOUT": 1,
        "WECHAT_MP_APP_ID": "wx-mp-test",
        "WECHAT_MP_APP_SECRET": "mp-secret",
        "WECHAT_MINI_APP_ID": "wx-mini-test",
        "WECHAT_MINI_APP_SECRET": "mini-secret",
        "WECHAT_MP_TEMPLATES": {kind: f"mp-{kind}" for kind in kinds.split(",")},
        "WECHAT_MINI_TEMPLATES": {kind: f"mini-{kind}" for kind in kinds.split(",")},
        "SMS_BACKEND": "apps.accounts.sms.AliyunSmsBackend",
        "SMS_ALIYUN_ENDPOINT": url + "/",
        "SMS_ALIYUN_ACCESS_KEY_ID": "key",
        "SMS_ALIYUN_ACCESS_KEY_SECRET": "secret",
        "SMS_ALIYUN_SIGN_NAME": "兴化市总工会",
        "SMS_ALIYUN_TEMPLATE_CODE": "SMS_CODE",
        "REMINDER_SMS_TEMPLATES": {kind: f"SMS_{i}" for i, kind in enumerate(kinds.split(","))},
        "REMINDER_QUIET_HOURS": "",
    }
