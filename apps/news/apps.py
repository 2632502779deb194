from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "apps.news"
    verbose_name = _("新闻")
    nav_links = [(10, _("工会新闻"), "news:list", "📰")]
