"""The 公示: masked entries during their 5 working days, never indexed or shared; objections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.submissions import AlreadySubmitted, submission_once

from .. import selectors, services
from ..forms import ObjectionForm
from ..models import HelpRequest


def _noindex(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def publicity(request):
    entries = list(selectors.publicity_entries())
    if request.user.is_authenticated:
        for entry in entries:  # one form per entry, each with its own ids
            entry.form = ObjectionForm(auto_id=f"objection-{entry.pk}-%s")
    context = {"entries": entries, "days": services.publicity_days()}
    return _noindex(render(request, "assistance/publicity.html", context))


@require_POST
@login_required
def objection(request, pk: int):
    form = ObjectionForm(request.POST)
    hr = HelpRequest.objects.filter(pk=pk).first()
    if hr is None or not form.is_valid():
        if hr is None:
            messages.error(request, _("这条公示已经结束或不存在，不能再提出异议。"))
        else:
            messages.error(request, _("请写明异议内容。"))
        return redirect("assistance:publicity")
    try:
        with submission_once(request) as once:
            services.objection_send(request=hr, by=request.user, **form.cleaned_data)
            once.result(request.path)
    except AlreadySubmitted:
        pass
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("assistance:publicity")
    messages.success(request, _("您的异议已送达市总工会帮扶中心，我们会核实处理。"))
    return redirect("assistance:publicity")
