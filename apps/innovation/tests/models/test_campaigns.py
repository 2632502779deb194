"""Phase settings: what reviewers see of each other's reviews."""

import pytest

from apps.innovation.models import PhaseSetting

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("others", "own_submitted", "visible"),
    [("never", True, False), ("after_own", False, False), ("after_own", True, True), ("always", False, True)],
)
def test_other_reviews_show_as_the_phase_setting_says(others, own_submitted, visible):
    assert PhaseSetting(others_reviews=others).others_visible(own_submitted=own_submitted) is visible
