from dataclasses import dataclass

from shegong.lib.ratios import Growth, Share, share


def test_share_rounds_and_has_no_value_without_a_whole():
    assert share(1, 3) == 33.3
    assert share(2, 3, digits=2) == 66.67
    assert share(7, 30_000, per=10_000, digits=2) == 2.33
    assert share(0, 5) == 0.0
    assert share(5, 0) is None
    assert share(5, None) is None
    assert share(None, 5) is None


@dataclass
class Tally:
    covered: int = 0
    townships: int = 0
    now: int = 0
    before: int = 0

    coverage = Share("covered", "townships")
    per_10k = Share("covered", "townships", per=10_000, digits=2)
    grown = Growth("now", "before")


def test_declared_figures_read_the_fields_and_are_not_dataclass_fields():
    tally = Tally(covered=9, townships=12, now=150, before=120)
    assert (tally.coverage, tally.per_10k, tally.grown) == (75.0, 7500.0, 25.0)
    tally.townships = 0
    assert tally.coverage is None
    assert Tally(now=3).grown is None
    assert [f for f in Tally.__dataclass_fields__] == ["covered", "townships", "now", "before"]
