import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from apps.accounts.models import User

PASSWORD = "pass-1234-word"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    real_name = factory.Sequence(lambda n: f"职工{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            if not self.email or extracted is False:
                return
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            from apps.accounts.services import user_role_add

            for role in extracted:
                Group.objects.get_or_create(name=role)
                user_role_add(user=self, role=role)
