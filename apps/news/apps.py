from django.utils.translation import gettext_lazy as _

from apps.core.contract import NavLink, Panel, PortalAppConfig, ReminderKind, Role

EDITOR_PERMISSIONS = (
    "news.add_article",
    "news.change_article",
    "news.view_article",
    "news.view_column",
    "news.view_edition",
    "news.view_tag",
    "news.add_tag",
    "news.add_articleimage",
    "news.change_articleimage",
    "news.delete_articleimage",
    "news.view_articleimage",
)
CHIEF_EDITOR_PERMISSIONS = EDITOR_PERMISSIONS + (
    "news.publish_article",
    "news.add_column",
    "news.change_column",
    "news.add_edition",
    "news.change_edition",
    "news.change_tag",
)


class NewsConfig(PortalAppConfig):
    name = "apps.news"
    verbose_name = _("新闻")
    public_pages = (
        "news:list",
        "news:detail",
        "news:feed",
        "news:feed_atom",
        "news:column_feed",
        "news:column_feed_atom",
    )
    public_models = ("news.Column", "news.Tag", "news.Edition", "news.Article", "news.ArticleImage")
    sitemaps_module = "sitemaps"
    demo_module = "demo"

    def nav_links(self):
        return [NavLink(_("工会新闻"), "news:list", order=10, icon="闻")]

    def roles(self):
        return [
            Role(
                "editor", _("编辑（撰写新闻）"), EDITOR_PERMISSIONS, staff=True, landing="admin:news_article_changelist"
            ),
            # The chief editor works from the article list in the admin (稿件待审核 filter there).
            Role(
                "chief_editor",
                _("审核编辑（审核并发布新闻）"),
                CHIEF_EDITOR_PERMISSIONS,
                staff=True,
                landing="admin:news_article_changelist",
            ),
        ]

    def reminder_kinds(self):
        return [
            ReminderKind("news.rejected", _("稿件退回"), roles=("editor",)),
            ReminderKind("news.in_review", _("稿件待审核"), roles=("chief_editor",)),
            ReminderKind("news.overdue", _("稿件逾期未发布"), roles=("editor", "chief_editor")),
        ]

    def home_panel(self, request):
        from .selectors import home_panel_data

        data = home_panel_data()
        if not data["pinned"] and not data["columns"]:
            return None
        return Panel("news/home_panel.html", data, order=10)

    def me_panel(self, request):
        from apps.accounts.roles import user_holds

        user = request.user
        if not (user_holds(user, "editor") or user_holds(user, "chief_editor")):
            return None
        from .selectors import editor_desk

        return Panel("news/me_panel.html", {"articles": editor_desk(user=user)}, order=10)

    def dashboard_figures(self, year):
        from .selectors import dashboard_figure_group

        return dashboard_figure_group(year)
