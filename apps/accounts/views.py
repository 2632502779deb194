from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.registry import panels

from .forms import ProfileForm


@login_required
def me(request):
    """My records: profile plus the panels each app adds (my consultations, my ratings …)."""
    return render(request, "accounts/me.html", {"panels": panels("me_panel", request)})


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("个人资料已保存。"))
        return redirect("accounts:me")
    return render(request, "accounts/profile_form.html", {"form": form})
