import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Article
from .selectors import filter_choices


def _columns():
    return filter_choices()["columns"]


def _years():
    return [(str(year), _("%(year)s年") % {"year": year}) for year in filter_choices()["years"]]


def _tags():
    return filter_choices()["tags"]


class ArticleFilter(django_filters.FilterSet):
    """Public list filters: column, year, tag (choices cached, so no query per option)."""

    column = django_filters.ChoiceFilter(
        label=_("栏目"), field_name="column__slug", choices=_columns, empty_label=_("全部栏目")
    )
    year = django_filters.ChoiceFilter(
        label=_("年份"), field_name="published_at__year", choices=_years, empty_label=_("全部年份")
    )
    tag = django_filters.ChoiceFilter(
        label=_("标签"), field_name="tags__slug", choices=_tags, empty_label=_("全部标签")
    )
    q = django_filters.CharFilter(
        label=_("搜索"),
        method="filter_noop",
        widget=forms.SearchInput(attrs={"placeholder": _("输入关键词，如：劳模、驿站"), "maxlength": 200}),
    )

    class Meta:
        model = Article
        fields = ["column", "year", "tag", "q"]

    def filter_noop(self, queryset, name, value):
        # Search ranks the whole result, so the view applies it after the other filters.
        return queryset
