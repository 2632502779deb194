import pytest
from django.template import Context, Template


def clip(text, length):
    return Template("{% load core %}{{ text|clip:length }}").render(Context({"text": text, "length": length}))


@pytest.mark.parametrize(
    ("text", "length", "shown"),
    [
        ("", 10, ""),
        ("短句", 10, "短句"),
        ("职工驿站" * 3, 12, "职工驿站" * 3),  # exactly the length: kept whole
        ("职工驿站" * 3, 11, "职工驿站职工驿站职工…"),  # one over: cut, the last place an ellipsis
        ("abc", 1, "…"),
        ('<b>"&"</b>', 6, "&lt;b&gt;&quot;&amp;…"),  # escaped after cutting, like any text
    ],
)
def test_clip_keeps_at_most_length_characters_with_an_ellipsis_when_cut(text, length, shown):
    assert clip(text, length) == shown
