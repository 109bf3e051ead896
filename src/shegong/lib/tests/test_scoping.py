import pytest

from shegong.accounts.roles import Cap
from shegong.lib.scoping import code_prefix_q, next_code, scope_to_user
from shegong.regions.models import Region


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("52", "53"),
        ("5223", "5224"),
        ("522309", "522310"),
        ("5299", "5300"),
        ("59", "60"),
        ("99", None),
        ("", None),
    ],
)
def test_next_code_is_the_next_digit_string_of_the_same_length(prefix, expected):
    assert next_code(prefix) == expected


@pytest.mark.django_db
def test_prefix_filter_matches_startswith_for_every_county_of_guizhou():
    for county in Region.objects.filter(level=3, code__startswith="52"):
        by_range = set(
            Region.objects.filter(code_prefix_q("code", county.code)).values_list("code", flat=True)
        )
        by_like = set(Region.objects.filter(code__startswith=county.code).values_list("code", flat=True))
        assert by_range == by_like
        assert county.code in by_range


@pytest.mark.django_db
def test_scope_gives_a_county_admin_only_their_county(users):
    codes = set(
        scope_to_user(Region.objects.all(), users["county"], Cap.REGIONS_VIEW).values_list("code", flat=True)
    )
    assert "522301" in codes
    assert all(code.startswith("522301") for code in codes)
    assert "522302" not in codes and "52" not in codes


@pytest.mark.django_db
def test_scope_gives_nothing_to_roles_without_the_capability(users):
    assert not scope_to_user(Region.objects.all(), users["auditor"], Cap.REGIONS_VIEW).exists()
    assert not scope_to_user(Region.objects.all(), users["sysadmin"], Cap.DATA_VIEW).exists()


@pytest.mark.django_db
def test_scope_gives_nothing_to_anonymous_or_deactivated_users(users):
    from django.contrib.auth.models import AnonymousUser

    assert not scope_to_user(Region.objects.all(), AnonymousUser(), Cap.REGIONS_VIEW).exists()
    county = users["county"]
    county.is_active = False
    assert not scope_to_user(Region.objects.all(), county, Cap.REGIONS_VIEW).exists()


@pytest.mark.django_db
def test_a_prefix_that_is_not_a_code_matches_nothing_instead_of_failing():
    assert not Region.objects.filter(code_prefix_q("code", "abc")).exists()
    assert not Region.objects.filter(code_prefix_q("code", "５２")).exists()
