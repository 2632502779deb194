"""The CSP header: the site policy on every page, a nonce only where a page asks for one."""

from django.http import HttpResponse

from apps.core.middleware import CSPMiddleware


def test_the_site_policy_is_sent_and_a_nonce_only_when_used(rf, settings):
    plain = CSPMiddleware(lambda request: HttpResponse("ok"))
    first = plain(rf.get("/"))["Content-Security-Policy"]
    assert "script-src 'self'" in first and "nonce-" not in first
    assert plain(rf.get("/news/"))["Content-Security-Policy"] == first

    def view_with_nonce(request):
        return HttpResponse(str(request.csp_nonce))

    with_nonce = CSPMiddleware(view_with_nonce)(rf.get("/admin/"))
    assert f"'nonce-{with_nonce.content.decode()}'" in with_nonce["Content-Security-Policy"]

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert plain(rf.get("/"))["Content-Security-Policy"] == "default-src 'none'"
