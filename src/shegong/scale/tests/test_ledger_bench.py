"""Each ledger's bench file goes through the engine whole (every row valid and written), so that `shegong bench`
times real imports, not a file of errors."""

import pytest

from shegong.scale import ledger_bench

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("key", sorted(ledger_bench.BUILDERS))
def test_the_bench_file_of_each_ledger_is_written_whole(users, key):
    result = ledger_bench.child_ledger(key, "522301", 30)
    assert result["ok"], result["message"]
    assert result["rows"] == 30 and result["seconds"] > 0
    assert result["maxrss_mb"] >= result["setup_maxrss_mb"] > 0
