import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.core.tests.images import png_bytes
from apps.news.models import Article, ArticleImage, Column, Edition, Tag
from apps.news.services import article_image_save, article_save


class ColumnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Column
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"栏目{n}")
    slug = factory.Sequence(lambda n: f"column-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"标签{n}")


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition
        django_get_or_create = ("year", "number")

    year = 2024  # an edition's number in a closed year: nothing compares it with today
    number = factory.Sequence(lambda n: n + 1)


class ArticleFactory(factory.django.DjangoModelFactory):
    """An article saved through the service (sanitised, segmented); published by default."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"市总工会新闻第{n}篇")
    summary = "职工服务新闻摘要"
    body = "<p>市总工会为职工办实事。</p>"
    column = factory.SubFactory(ColumnFactory)
    author = factory.SubFactory(UserFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=1))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        article = model_class(**kwargs)
        if article.status not in (Article.Status.PUBLISHED, Article.Status.ARCHIVED):
            article.published_at = None
        return article_save(article=article, user=article.author)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class ArticleImageFactory(factory.django.DjangoModelFactory):
    """An article photo saved through the service (re-encoded, renditions made)."""

    class Meta:
        model = ArticleImage

    article = factory.SubFactory(ArticleFactory)
    image = factory.LazyFunction(lambda: SimpleUploadedFile("photo.png", png_bytes((1600, 900)), "image/png"))
    caption = factory.Sequence(lambda n: f"活动现场照片{n}")
    sort_order = factory.Sequence(lambda n: n)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return article_image_save(image=model_class(**kwargs))
