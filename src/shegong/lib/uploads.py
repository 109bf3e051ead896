"""The one check of every uploaded file: what it is (by its content, never its name) and how large.

Every file field of every form is an :class:`UploadField`, and every service that stores a file calls
:func:`check_upload` before it does, so a photo, an evidence file, a project document and an import workbook
are held to the same rules and refused with the same kind of message: the field's name, then what is wrong.
A file is recognised by its first bytes ("magic numbers"); a workbook or Word document (both zip archives)
by the parts its archive lists; a workbook is also bounded by its uncompressed size before anyone parses it
(:func:`shegong.lib.excel.check_workbook_bounds`).

The request as a whole is capped earlier, before its body is read: :mod:`shegong.core.middleware`.
"""

import zipfile
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.lib.excel import SheetError, check_workbook_bounds

KIND_LABELS = {
    "xlsx": gettext_lazy("Excel workbook (.xlsx)"),
    "docx": gettext_lazy("Word document (.docx)"),
    "pdf": gettext_lazy("PDF document"),
    "jpeg": gettext_lazy("JPEG photo"),
    "png": gettext_lazy("PNG picture"),
    "webp": gettext_lazy("WebP picture"),
}
EXTENSIONS = {"xlsx": "xlsx", "docx": "docx", "pdf": "pdf", "jpeg": "jpg", "png": "png", "webp": "webp"}


@dataclass(frozen=True)
class Accept:
    """What a file field takes: content kinds (keys of KIND_LABELS) and a size limit in MB."""

    kinds: tuple[str, ...]
    max_mb: int

    def labels(self) -> str:
        return "、".join(str(KIND_LABELS[kind]) for kind in self.kinds)


# Imports read .xlsx only (lib/excel.py); an old .xls or a CSV is answered with how to convert it.
SPREADSHEET = Accept(("xlsx",), 20)
PHOTO = Accept(("jpeg", "png", "webp"), 8)
# Project documents and assessment evidence: papers, scans and photos.
DOCUMENT = Accept(("pdf", "docx", "xlsx", "jpeg", "png", "webp"), 20)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old Office formats: .xls, .doc


def sniff(upload) -> str | None:
    """The kind of file ``upload`` holds, from its content: a key of KIND_LABELS, "ole" for an old Office
    file, or None. Leaves the file at its start."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = None
    if head.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = "webp"
    elif head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(_OLE):
        kind = "ole"
    elif head.startswith(b"PK\x03\x04"):
        kind = _office_kind(upload)
    upload.seek(0)
    return kind


def _office_kind(upload) -> str | None:
    """xlsx or docx from the names in the zip's central directory (nothing is decompressed)."""
    try:
        names = set(zipfile.ZipFile(upload).namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    return None


def _refuse(field: str, message: str, key: str | None):
    text = _("“%(field)s”: %(problem)s") % {"field": field, "problem": message}
    raise ValidationError({key: text} if key else text)


def check_upload(upload, *, accept: Accept, field: str, key: str | None = None) -> str:
    """The kind of ``upload`` if ``accept`` takes it; otherwise a ValidationError naming the field (on form
    field ``key`` when given, for services)."""
    limit = min(accept.max_mb, settings.MAX_UPLOAD_MB)
    if upload.size == 0:
        _refuse(field, _("the file is empty."), key)
    if upload.size > limit * 1024 * 1024:
        _refuse(field, _("the file is larger than %(mb)s MB.") % {"mb": limit}, key)
    kind = sniff(upload)
    if kind not in accept.kinds:
        if kind == "ole" and "xlsx" in accept.kinds:
            problem = _(
                "this is an old-format Excel file (.xls); save it as .xlsx in Excel or WPS and upload it again."
            )
        else:
            problem = _(
                "the file's content is not one of: %(kinds)s (the content is checked, not the name)."
            ) % {"kinds": accept.labels()}
        _refuse(field, problem, key)
    # The stored name takes the extension of the content, since files are served with the content type
    # their name suggests: a PNG named page.html must not come back as a web page.
    stem = upload.name.rsplit(".", 1)[0] if "." in upload.name else upload.name
    upload.name = f"{stem}.{EXTENSIONS[kind]}"
    if kind == "xlsx":
        try:
            check_workbook_bounds(upload)
        except SheetError as exc:
            _refuse(field, str(exc), key)
        finally:
            upload.seek(0)
    return kind


class LedgerFileField(forms.FileField):
    """A ledger for the import engine (.xlsx, .xls, .et, .csv in any Chinese encoding): the size is checked here;
    the content by the engine's reader (lib/importer/reading.py), which refuses what it cannot read (renamed
    text, OLE garbage, zip bombs, NUL bytes) with a Chinese message and writes nothing."""

    def clean(self, data, initial=None):
        if data and getattr(data, "size", None) == 0:
            _refuse(str(self.label), _("the file is empty."), None)
        upload = super().clean(data, initial)
        if upload and getattr(upload, "size", 0) > settings.MAX_UPLOAD_MB * 1024 * 1024:
            _refuse(
                str(self.label),
                _("The file is larger than %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB},
                None,
            )
        return upload


class UploadField(forms.FileField):
    """A form's file field, checked by :func:`check_upload`."""

    def __init__(self, *, accept: Accept, **kwargs):
        self.accept = accept
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if data and getattr(data, "size", None) == 0:
            _refuse(str(self.label), _("the file is empty."), None)
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "read"):
            check_upload(upload, accept=self.accept, field=str(self.label))
        return upload


class WorkbookUploadForm(forms.Form):
    """The upload form of every Excel import."""

    file = UploadField(label=gettext_lazy("Excel file (.xlsx)"), accept=SPREADSHEET)
