"""Open CJK fonts embedded (and subset) in the PDFs we make.

The fonts are Noto Serif CJK SC (宋体 style: title, body) and Noto Sans CJK SC (黑体 style: headings), SIL Open
Font Licence, from Debian's ``fonts-noto-cjk`` (installed by .ci/run, the Makefile's demo machine and the
deployment image). They are OpenType collections with CFF (PostScript) outlines, which ReportLab cannot embed;
so for each document fontTools cuts the collection down to the characters the document uses, converts the
cubic outlines to TrueType quadratics (cu2qu) and hands ReportLab a small TrueType font, which ReportLab embeds as
a subset (``pdffonts`` shows ``emb yes, sub yes``). Cutting down first keeps it fast (about half a second for a
bulletin) and the PDF small (tens of kilobytes of font).

No font found is a clear error (``CJKFontMissing``) naming the package to install, never a PDF whose Chinese a
reader has to guess.
"""

import hashlib
import io
import os
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable
from PIL import ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont as ReportLabTTFont

# face -> (file names tried in the font directories, the collection member that is Simplified Chinese)
FACES = {
    "serif": ("NotoSerifCJK-Regular.ttc", "NotoSerifCJKsc-Regular.otf"),
    "serif-bold": ("NotoSerifCJK-Bold.ttc", "NotoSerifCJKsc-Bold.otf"),
    "sans": ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf"),
    "sans-bold": ("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf"),
}
SC_MEMBER = "Noto Serif CJK SC", "Noto Sans CJK SC"
DEFAULT_DIRS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/local/share/fonts",
)
# Always in the subset: digits, Latin letters and the punctuation the documents put around figures.
BASE_TEXT = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "—－–·、，。：；（）〔〕《》“”‘’％×＋…　〇一二三四五六七八九十年月日第期版并列截至万元"
)


class CJKFontMissing(RuntimeError):
    pass


def font_dirs() -> list[str]:
    configured = getattr(settings, "CJK_FONT_DIRS", None) or os.environ.get("CJK_FONT_DIRS", "")
    if isinstance(configured, str):
        configured = [d for d in configured.split(":") if d]
    return [*configured, *DEFAULT_DIRS]


def font_file(face: str) -> Path:
    for directory in font_dirs():
        for name in FACES[face]:
            path = Path(directory) / name
            if path.is_file():
                return path
    raise CJKFontMissing(
        _(
            "The Chinese font %(face)s is not installed (Debian package fonts-noto-cjk); the PDF cannot be made."
        )
        % {"face": FACES[face][0]}
    )


def _open(path: Path):
    if path.suffix.lower() == ".ttc":
        collection = TTCollection(str(path), lazy=True)
        for number, member in enumerate(collection.fonts):
            if member["name"].getDebugName(1) in SC_MEMBER:
                return TTFont(str(path), fontNumber=number)
        raise CJKFontMissing(f"{path}: no Simplified Chinese member")
    return TTFont(str(path))


def _to_truetype(font) -> None:
    """Replace CFF outlines by TrueType ones (in place)."""
    if "glyf" in font:
        return
    glyph_set = font.getGlyphSet()
    order = font.getGlyphOrder()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    font.sfntVersion = "\x00\x01\x00\x00"


def _single_cmap(font) -> None:
    """One format 12 (Windows, full Unicode) character map: ReportLab reads the last Unicode subtable it finds, and
    misreads some of the format 4 subtables fontTools writes for a subset (characters drawn as empty boxes)."""
    mapping = font.getBestCmap()
    table = CmapSubtable.newSubtable(12)
    table.platformID, table.platEncID, table.language = 3, 10, 0
    table.cmap = dict(mapping)
    font["cmap"].tables = [table]


@lru_cache(maxsize=32)
def _subset_bytes(face: str, characters: str) -> bytes:
    font = _open(font_file(face))
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = []
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    _to_truetype(font)
    _single_cmap(font)
    # Each subset gets its own PostScript name: ReportLab keeps one face per name, and a second subset registered
    # under the same name would be drawn with the first one's glyph numbers (empty boxes).
    digest = hashlib.sha1(characters.encode()).hexdigest()[:8]
    names = font["name"]
    postscript = names.getDebugName(6) or "NotoCJK"
    for record in list(names.names):
        if record.nameID == 6:
            names.setName(f"{postscript}-{digest}", 6, record.platformID, record.platEncID, record.langID)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def register(face: str, text: str) -> str:
    """Register with ReportLab a TrueType font of ``face`` holding every character of ``text``; return its name."""
    characters = "".join(sorted(set(text) | set(BASE_TEXT)))
    digest = hashlib.sha1(f"{face}:{characters}".encode()).hexdigest()[:10]
    name = f"Noto-{face}-{digest}"
    if name not in pdfmetrics.getRegisteredFontNames():
        try:
            data = _subset_bytes(face, characters)
        except CJKFontMissing:
            if not getattr(settings, "DEMO", False):
                raise
            return _demo_fallback()
        pdfmetrics.registerFont(ReportLabTTFont(name, io.BytesIO(data)))
    return name


def _demo_fallback() -> str:
    """The demo on a machine without fonts-noto-cjk (`make demo` needs nothing installed): ReportLab's Adobe CID
    font STSong-Light, which PDF readers carry but which is not embedded. A real installation refuses instead
    (CJKFontMissing), because an official document must carry its font."""
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def pillow_font(face: str, size: int):
    """The Simplified Chinese member of ``face`` as a Pillow font (FreeType reads CFF outlines as they are), for
    charts drawn as images (the Word document's)."""
    try:
        path = font_file(face)
    except CJKFontMissing:
        if not getattr(settings, "DEMO", False):
            raise
        return ImageFont.load_default(
            size
        )  # the demo without the fonts: the chart's labels lose their Chinese
    if path.suffix.lower() != ".ttc":
        return ImageFont.truetype(str(path), size)
    for index in range(8):
        try:
            font = ImageFont.truetype(str(path), size, index=index)
        except OSError:
            break
        if font.getname()[0] in SC_MEMBER:
            return font
    raise CJKFontMissing(f"{path}: no Simplified Chinese member")
