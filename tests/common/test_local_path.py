"""`common.routing.local_path`: the one rule for a `next` the app follows (login, follow-up forms)."""

import pytest

from aoapp.common.routing import local_path


@pytest.mark.parametrize(
    "target",
    ["/customers/7", "/followups/3/complete?next=/agenda/", "/", "/agenda/#today"],
)
def test_a_path_of_this_site_is_followed(target):
    assert local_path(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example/",
        "//evil.example/agenda",
        "/\\evil.example",
        "javascript:alert(1)",
        "agenda/",
        "http:/agenda",
    ],
)
def test_another_host_or_no_path_is_not(target):
    assert local_path(target) is None
