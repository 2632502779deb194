from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "apps.news"
    verbose_name = _("新闻")
    nav_links = [(10, _("工会新闻"), "news:list", "闻")]
    role_permissions = {
        "editor": [
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
        ],
        "chief_editor": [
            "news.add_article",
            "news.change_article",
            "news.view_article",
            "news.publish_article",
            "news.add_column",
            "news.change_column",
            "news.view_column",
            "news.add_edition",
            "news.change_edition",
            "news.view_edition",
            "news.add_tag",
            "news.change_tag",
            "news.view_tag",
            "news.add_articleimage",
            "news.change_articleimage",
            "news.delete_articleimage",
            "news.view_articleimage",
        ],
    }

    def ready(self):
        from apps.reminders import kinds

        kinds.register("news.rejected", _("稿件退回"))
        kinds.register("news.in_review", _("稿件待审核"))
        kinds.register("news.overdue", _("稿件逾期未发布"))

    def home_panel(self, request):
        from .selectors import home_panel_data

        data = home_panel_data()
        if not data["pinned"] and not data["columns"]:
            return None
        return {"template": "news/home_panel.html", "context": data, "order": 10}

    def me_panel(self, request):
        from apps.accounts.roles import CHIEF_EDITOR, EDITOR, user_has_role

        user = request.user
        if not (user_has_role(user, EDITOR) or user_has_role(user, CHIEF_EDITOR)):
            return None
        from .selectors import editor_desk

        return {"template": "news/me_panel.html", "context": {"articles": editor_desk(user=user)}, "order": 10}
