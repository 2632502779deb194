import pytest
from django.urls import reverse, set_script_prefix

from apps.core.paths import object_path, object_path_maker


@pytest.mark.parametrize(
    ("viewname", "args"),
    [
        ("news:detail", (1,)),
        ("news:detail", (918_273_645,)),  # a marker itself is a valid id
        ("stations:detail", (42,)),
        ("legal_aid:event", (7,)),
        ("tenthings:year", (2024,)),
        ("tenthings:item", (2024, 10)),
        ("innovation:project", (3,)),
    ],
)
def test_object_path_is_what_reverse_gives(viewname, args):
    assert object_path(viewname, *args) == reverse(viewname, args=args)
    assert object_path(viewname, *args) == reverse(viewname, args=args)  # from the kept template
    assert object_path_maker(viewname, len(args))(*args) == reverse(viewname, args=args)


def test_object_path_follows_the_script_prefix():
    try:
        set_script_prefix("/portal/")
        assert object_path("news:detail", 5) == "/portal/news/5/" == reverse("news:detail", args=[5])
        assert object_path_maker("news:detail", 1)(5) == "/portal/news/5/"
    finally:
        set_script_prefix("/")
    assert object_path("news:detail", 5) == "/news/5/"


def test_other_arguments_fall_back_to_reverse():
    assert object_path("news:detail", "12") == reverse("news:detail", args=["12"])
    assert object_path_maker("news:detail", 1)("12") == reverse("news:detail", args=["12"])
