"""Held rows (mode valid_rows) corrected in the browser: the row's cells are checked again by the same cleaning,
look-ups and ledger rules as a file, and written through the same write step, credited to the import and row
they came from. ID numbers stay masked on the page; one that was right in the file is kept when left empty."""

from django.urls import reverse

from shegong.casework.models import ServiceMonth, ServiceRecord
from shegong.lib.importer.models import HeldRow, ImportedRow
from shegong.lib.importer.tests.test_service_ledger import LEDGER, _messy
from shegong.testing import verified_login


def _held(world, run):
    """The messy ledger written in valid_rows mode: rows 5 and 6 are written (9 is the sample row), 7, 8 and 10 held."""
    written = run(world["county"], LEDGER, _messy(world), mode="valid_rows", commit=True)
    assert written.result["written"] == 2, written.result
    held = {h.row: h for h in HeldRow.objects.filter(ledger=LEDGER)}
    assert sorted(held) == [7, 8, 10]
    return written, held


def _post(client, held, **cells):
    return client.post(
        reverse("importer:held_correct", kwargs={"ledger": LEDGER, "pk": held.pk}),
        {f"cell-{key}": value for key, value in cells.items()},
    )


def test_a_held_row_corrected_in_the_page_is_written_through_the_engine(world, run, client):
    written, held = _held(world, run)
    first, second = world["people"]
    verified_login(client, world["county"])
    page = client.get(reverse("importer:held", kwargs={"ledger": LEDGER})).content.decode()
    assert page.count('data-testid="held-form"') == 3
    assert first.id_number not in page and second.id_number not in page  # masked, also in the inputs
    assert "服务类型" in page and "上门探访" in page  # the file's own headers and cells
    # Row 7: Excel turned its ID number into a number; the clerk types it again.
    cells = {
        "id_number": first.id_number,
        "person_name": "王秀英",
        "village": "",
        "item": "x",
        "worker": "张社工",
        "duration": "30分钟",
        "served_on": held[7].cells["服务日期"],
    }
    assert set(cells) == set(held[7].columns)
    response = _post(client, held[7], **cells)
    assert response.status_code == 302
    assert HeldRow.objects.filter(pk=held[7].pk).exists()  # the item "x" is not on the menu: still held
    kept = HeldRow.objects.get(pk=held[7].pk)
    assert [e["column"] for e in kept.errors] == ["服务类型"] and "x" in kept.errors[0]["message"]
    assert "服务类型" in client.get(response["Location"]).content.decode()
    assert ServiceRecord.objects.count() == 2
    # The ID number typed is now kept (encrypted) like one that was right in the file.
    assert "id_number" in kept.sealed and kept.cells["身份证号码"] != first.id_number
    response = _post(client, kept, **{**cells, "id_number": "", "item": world["item"].name})
    assert response.status_code == 302 and not HeldRow.objects.filter(pk=held[7].pk).exists()
    record = ServiceRecord.objects.get(import_row=7)
    assert record.person == first and record.worker == world["worker"] and record.duration_minutes == 30
    assert record.import_job == written.pk  # where it came from: the import and its row
    assert ImportedRow.objects.filter(ledger=LEDGER, row=7, job_id=written.pk).exists()
    assert sum(m.records for m in ServiceMonth.objects.all()) == 3
    # Row 8: its ID number was right and is kept when the input is left empty; only the item is corrected.
    row8 = {e["column"] for e in held[8].errors}
    assert row8 == {"服务类型"} and "id_number" in held[8].sealed
    assert first.id_number not in str(held[8].sealed) and second.id_number not in str(held[8].cells)
    cells8 = {k: held[8].cells.get(h, "") for k, h in held[8].columns.items()}
    response = _post(client, held[8], **{**cells8, "id_number": "", "item": world["item"].name})
    assert not HeldRow.objects.filter(pk=held[8].pk).exists()
    assert ServiceRecord.objects.get(import_row=8).person == second
    # Row 10 repeats row 6, which was written: saved as it is, it is recognised and no longer held.
    cells10 = {k: held[10].cells.get(h, "") for k, h in held[10].columns.items()}
    _post(client, held[10], **cells10)
    assert not HeldRow.objects.exists() and ServiceRecord.objects.count() == 4
    # The same file uploaded again adds nothing: the corrected rows count as imported.
    again = run(world["county"], LEDGER, _messy(world), mode="valid_rows", commit=True)
    assert again.result["written"] == 0 and ServiceRecord.objects.count() == 4


def test_a_held_row_of_another_county_is_not_found(world, run, client, users):
    _written, held = _held(world, run)
    verified_login(client, users["county2"])
    assert _post(client, held[8], item=world["item"].name).status_code == 404
    page = client.get(reverse("importer:held", kwargs={"ledger": LEDGER})).content.decode()
    assert 'data-testid="held-row"' not in page
    assert HeldRow.objects.count() == 3 and ServiceRecord.objects.count() == 2


def test_the_menu_offers_the_import_page_to_roles_that_may_import(client, users):
    for role, shown in (("county", True), ("worker", True), ("leader", False), ("auditor", False)):
        verified_login(client, users[role])
        menu = [item["name"] for item in client.get(reverse("core:home")).context["menu"]]
        assert ("importer:index" in menu) is shown, role
        client.logout()


def test_the_annotated_workbook_comes_back_without_asking_about_its_errors_column(world, run, client):
    import io

    from openpyxl import load_workbook

    job = run(world["county"], LEDGER, _messy(world), name="台账.xlsx")
    verified_login(client, world["county"])
    response = client.get(f"/jobs/{job.pk}/download/")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert any(c.value == "错误说明" for c in book.active[4])
    buffer = io.BytesIO()
    book.save(buffer)
    again = run(world["county"], LEDGER, buffer.getvalue(), name="台账.xlsx")
    assert again.result["unknown_columns"] == [] and again.result["rows"] == job.result["rows"]
