import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.geo import parse_point
from apps.core.models import Town
from apps.core.uploads import ImageFormField

from .models import (
    INSPECTION_INTERVAL_DAYS,
    Amenity,
    InspectionItem,
    Report,
    Station,
    Visit,
    inspection_window_errors,
)

BAD_LOCATION = _("无法识别您的位置：纬度须在 -90 到 90 之间，经度须在 -180 到 180 之间。")


class _PreloadedChoice(forms.ModelChoiceField):
    """A model choice checked against objects the view already read (``preloaded``) when given."""

    preloaded: dict | None = None

    def to_python(self, value):
        if self.preloaded is None or value in self.empty_values:
            return super().to_python(value)
        try:
            return self.preloaded[str(value)]
        except KeyError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None


class _PreloadedMultipleChoice(forms.ModelMultipleChoiceField):
    """Several model choices checked against ``preloaded`` objects (in their order) when given."""

    preloaded: dict | None = None

    def _check_values(self, value):
        if self.preloaded is None:
            return super()._check_values(value)
        try:
            wanted = {str(v) for v in value}
        except TypeError:
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list") from None
        for v in wanted:
            if v not in self.preloaded:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": v})
        return [obj for key, obj in self.preloaded.items() if key in wanted]


class StationFilterForm(forms.Form):
    """The worker's filters on /stations/ (GET), including the optional location for 'nearest'.

    The list page passes the amenities and towns it reads once for its filter sheet
    (``amenities=``/``towns=``): the form then checks the choices against them without a query.
    The template writes the fields by hand (station_list.html), not through widgets.
    """

    amenity = _PreloadedMultipleChoice(
        label=_("服务设施"),
        queryset=Amenity.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("全部类型")), *Station.Kind.choices], required=False)
    town = _PreloadedChoice(
        label=_("乡镇/街道"), queryset=Town.objects.all(), required=False, empty_label=_("全部乡镇/街道")
    )
    open_now = forms.BooleanField(label=_("现在开放"), required=False)
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lng = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, amenities=None, towns=None, **kwargs):
        super().__init__(*args, **kwargs)
        if amenities is not None:
            self.fields["amenity"].preloaded = {a.code: a for a in amenities}
        if towns is not None:
            self.fields["town"].preloaded = {str(t.pk): t for t in towns}

    def clean(self):
        data = super().clean()
        lat, lng = data.get("lat", ""), data.get("lng", "")
        data["point"] = None
        if lat or lng:
            point = parse_point(lat, lng)
            if point is None:
                raise forms.ValidationError(BAD_LOCATION, code="bad_location")
            data["point"] = point
        return data

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "amenities": list(data.get("amenity") or []),
            "kind": data.get("kind") or "",
            "town": data.get("town"),
            "open_now": bool(data.get("open_now")),
        }


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("评分"),
        coerce=int,
        choices=[(i, "★" * i) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("评分必须在 1 到 5 之间。"), "required": _("请选择评分。")},
    )
    comment = forms.CharField(
        label=_("留言"),
        required=False,
        help_text=_("审核通过后公开显示，署名只显示姓氏（如“刘**”）。"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    report_kind = forms.ChoiceField(
        label=_("反映问题"),
        required=False,
        choices=[("", _("没有问题")), *Report.Kind.choices],
        help_text=_("反映的问题会直接发给驿站管理员。"),
    )
    report_note = forms.CharField(label=_("情况说明"), required=False, max_length=300)


class CheckinForm(forms.Form):
    occupation = forms.ChoiceField(
        label=_("您的职业"),
        choices=Visit.Occupation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择您的职业。"), "invalid_choice": _("请选择列表中的职业。")},
    )


class InspectionForm(forms.Form):
    """A keeper's inspection: one ok/broken/missing choice (and note) per amenity of the station."""

    inspected_on = forms.DateField(
        label=_("巡检日期"),
        initial=timezone.localdate,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    next_due = forms.DateField(
        label=_("下次巡检日期"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("不填则为 %(days)s 天后。") % {"days": INSPECTION_INTERVAL_DAYS},
    )
    notes = forms.CharField(label=_("巡检记录"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photo = ImageFormField(label=_("现场照片"), required=False)
    # States start unset, so an untouched form never records a full inspection; one explicit tick
    # says every item not marked otherwise was checked and is working.
    all_ok = forms.BooleanField(label=_("其余各项全部正常"), required=False)

    def __init__(self, *args, station: Station, **kwargs):
        super().__init__(*args, **kwargs)
        self.amenities = list(station.amenities.all())
        self.checklist = []
        for amenity in self.amenities:
            state = f"state_{amenity.pk}"
            note = f"note_{amenity.pk}"
            self.fields[state] = forms.ChoiceField(
                label=amenity.checklist_label,
                choices=InspectionItem.State.choices,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "state-choice"}),
            )
            self.fields[note] = forms.CharField(
                label=_("说明"),
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"placeholder": _("说明")}),
            )
            self.checklist.append((amenity, state, note))

    def clean(self):
        data = super().clean()
        inspected_on = data.get("inspected_on")
        if inspected_on and inspected_on > timezone.localdate():
            self.add_error("inspected_on", _("巡检日期不能晚于今天。"))
        for field, message in inspection_window_errors(inspected_on, data.get("next_due")).items():
            self.add_error(field, message)
        for _amenity, state, _note in self.checklist:
            if data.get(state) or state in self.errors:
                continue
            if data.get("all_ok"):
                data[state] = InspectionItem.State.OK
            else:
                self.add_error(state, _("请为这一项选择正常、损坏或缺失，或勾选“其余各项全部正常”。"))
        return data

    def checklist_fields(self):
        return [(amenity, self[state], self[note]) for amenity, state, note in self.checklist]

    def states(self) -> dict[int, tuple[str, str]]:
        return {
            amenity.pk: (self.cleaned_data[state], self.cleaned_data.get(note, ""))
            for amenity, state, note in self.checklist
        }

    def default_next_due(self) -> datetime.date:
        return self.cleaned_data["inspected_on"] + datetime.timedelta(days=INSPECTION_INTERVAL_DAYS)


class KeeperStationForm(forms.Form):
    phone = forms.CharField(label=_("联系电话"), required=False, max_length=30)
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[
            (Station.Status.OPEN, Station.Status.OPEN.label),
            (Station.Status.SUSPENDED, Station.Status.SUSPENDED.label),
        ],
    )
    status_reason = forms.CharField(label=_("暂停原因"), required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if message := Station.status_reason_error(data.get("status"), data.get("status_reason")):
            self.add_error("status_reason", message)
        return data
