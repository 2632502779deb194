from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up stays open unless ACCOUNT_ALLOW_REGISTRATION is set to False."""

    def is_open_for_signup(self, request):
        return getattr(settings, "ACCOUNT_ALLOW_REGISTRATION", True)

    def get_login_redirect_url(self, request):
        """A ``?next=`` wins; otherwise each role lands on its work (the app contract's ``landing``)."""
        from apps.core.registry import landing_url

        return landing_url(request.user) or super().get_login_redirect_url(request)
