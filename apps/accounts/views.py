from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from apps.core.personal import kept_block
from apps.core.registry import panels

from .forms import ProfileForm


@login_required
def me(request):
    """My records: profile plus the panels each app adds (my consultations, my ratings …).

    The panels' HTML is kept with the person for a minute (apps/core/personal.py): made stale by
    anything they do (a POST), a notification to them and a change to their account or roles."""

    def build():
        return render_to_string("accounts/me_panels.html", {"panels": panels("me_panel", request)}, request)

    return render(request, "accounts/me.html", {"panels_html": kept_block(request, "me-panels", build)})


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("个人资料已保存。"))
        return redirect("accounts:me")
    return render(request, "accounts/profile_form.html", {"form": form})


@login_required
def my_data(request):
    """What the portal holds about me: a page that says so, and the whole of it as a JSON file."""
    import json

    from django.http import HttpResponse
    from django.utils import timezone

    from apps.core.registry import personal_data

    if request.GET.get("download"):
        body = json.dumps(
            {"exported_at": timezone.now().isoformat(), "data": personal_data(request.user)},
            ensure_ascii=False,
            indent=1,
            default=str,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="my-data-{timezone.localdate():%Y%m%d}.json"'
        response["Cache-Control"] = "private, no-store"
        return response
    return render(request, "accounts/my_data.html", {"sections": personal_data(request.user)})


@login_required
def account_close_view(request):
    """Close my account: the consequences first, then a typed confirmation."""
    from django.contrib.auth import logout

    from .forms import AccountCloseForm
    from .services import account_close

    form = AccountCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account_close(user=request.user)
        logout(request)
        messages.success(request, _("您的账号已注销，个人信息已匿名化。"))
        return redirect("home")
    return render(request, "accounts/account_close.html", {"form": form})
