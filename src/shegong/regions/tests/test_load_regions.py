from io import StringIO

import pytest
from django.core.management import call_command

from shegong.regions.models import Region
from shegong.regions.services import read_divisions


def test_shipped_file_holds_the_whole_2023_tree():
    counts = {2: 0, 4: 0, 6: 0, 9: 0, 12: 0}
    for code, name, _initials in read_divisions():
        counts[len(code)] += 1
        assert name
    assert counts == {2: 31, 4: 342, 6: 2978, 9: 41352, 12: 620573}


@pytest.mark.django_db
def test_province_load_has_all_levels_of_guizhou_and_the_upper_three_of_the_country():
    assert Region.objects.filter(level=1).count() == 31
    assert Region.objects.filter(level=2).count() == 342
    assert Region.objects.filter(level=3).count() == 2978
    assert not Region.objects.filter(level=4).exclude(code__startswith="52").exists()
    assert Region.objects.filter(level=4, code__startswith="5223").count() == 140
    assert Region.objects.get(code="522301").name == "兴义市"
    assert Region.objects.get(code="5223").name == "黔西南布依族苗族自治州"


@pytest.mark.django_db
def test_every_region_has_its_prefix_as_parent():
    for region in Region.objects.filter(code__startswith="522301")[:500]:
        if region.level > 1:
            assert region.parent_id == region.code[: {2: 2, 3: 4, 4: 6, 5: 9}[region.level]]


@pytest.mark.django_db
def test_loading_again_changes_nothing_and_keeps_population():
    county = Region.objects.get(code="522301")
    county.population = 1_000_000
    county.save()
    before = Region.objects.count()
    out = StringIO()
    call_command("load_regions", province=["52"], stdout=out)
    assert "新增 0 个，更名 0 个" in out.getvalue()
    assert Region.objects.count() == before
    assert Region.objects.get(code="522301").population == 1_000_000


@pytest.mark.django_db
def test_a_bad_province_code_is_refused_with_a_message():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="须为两位省级代码，如 52，而不是 5。"):
        call_command("load_regions", province=["5"])
    with pytest.raises(CommandError, match="须在 0 到 5 之间"):
        call_command("load_regions", province=["52"], upper_levels=6)


@pytest.mark.django_db
def test_pinyin_initials_are_loaded():
    assert Region.objects.get(code="522301").initials == "XYS"
