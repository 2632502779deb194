"""Demo news: the six articles of the 2024 newsletter (工会专刊 2024年第1期), from the seed."""

import json
from datetime import date, datetime
from html import escape
from pathlib import Path

from django.utils import timezone

from apps.accounts.demo import demo_user

from .models import Article, Column, Edition, Tag
from .services import article_save

COLUMNS = [
    ("yaowen", "工会要闻", "市总工会重要活动与工作部署"),
    ("laomo", "劳模工匠", "劳模精神、工匠精神与职工技术创新"),
    ("weiquan", "维权服务", "法律维权、劳动争议调解与普法宣传"),
    ("fuwu", "职工服务", "职工服务中心、驿站、书屋与普惠服务"),
    ("jiceng", "基层动态", "基层工会与各乡镇、街道的工作动态"),
]
DATA = Path(__file__).with_name("demo_articles.json")
EDITOR_NOTE = "【编者注】"


def _body(item: dict) -> str:
    parts = []
    if item["subtitle"]:
        parts.append(f"<p><strong>{escape(item['subtitle'])}</strong></p>")
    for p in item["paragraphs"]:
        # An editor's note (e.g. where the printed newsletter lost a passage) is set apart.
        if p.startswith(EDITOR_NOTE):
            parts.append(f'<p class="editor-note"><em>{escape(p)}</em></p>')
        else:
            parts.append(f"<p>{escape(p)}</p>")
    return "\n".join(parts)


def load(stdout) -> None:
    columns = {}
    for order, (slug, name, description) in enumerate(COLUMNS):
        columns[slug], _ = Column.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order}
        )
    edition, _ = Edition.objects.update_or_create(year=2024, number=1, defaults={"issued_on": date(2024, 4, 15)})
    author = demo_user(stdout, "editor", "王编辑", role="editor", employer="兴化市总工会宣传教育部")
    chief = demo_user(stdout, "chief", "李主编", role="chief_editor", employer="兴化市总工会宣传教育部")
    items = json.loads(DATA.read_text(encoding="utf-8"))
    for item in items:
        when = timezone.make_aware(datetime.strptime(item["date"], "%Y-%m-%d %H:%M"))
        article = Article.objects.filter(title=item["title"], edition=edition).first() or Article(
            title=item["title"], edition=edition
        )
        article.summary = item["summary"]
        article.body = _body(item)
        article.column = columns[item["column"]]
        article.source = "兴化市总工会"
        article.pinned = item["pinned"]
        article.publish_at = when
        article.published_at = when
        article.status = Article.Status.PUBLISHED
        article.reviewed_by = chief
        if article.author_id is None:
            article.author = author
        article_save(article=article, user=author)
        tags = [Tag.objects.get_or_create(name=name)[0] for name in item["tags"]]
        article.tags.set(tags)
    stdout.write(f"  新闻：{len(items)} 篇（{edition}），栏目 {len(COLUMNS)} 个")
