"""The Simplified Chinese catalogue: complete, faithful to its placeholders, compiled, and covering the source.

The UI is written with English msgids and shown in Chinese, so an untranslated string is a visible defect. The
source scan below reads the marked strings itself (ast for Python, regular expressions for templates) rather than
calling xgettext, so that it runs on a machine without GNU gettext and catches a string that was added to the
code without running scripts/update_translations.sh.
"""

import ast
import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.utils import translation

import shegong

PACKAGE_DIR = Path(shegong.__file__).resolve().parent
PO_PATH = PACKAGE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
UPDATE_HINT = "run scripts/update_translations.sh and translate what it lists"

# %(name)s, %(count)d, %(ratio).1f ... as Python's % operator reads them.
PLACEHOLDER_RE = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
# A positional one ("%d" of Django's own messages, as the password rule's we translate again)
POSITIONAL_RE = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
# ASCII punctuation written against Chinese text, where the full-width form belongs.
# ("或.webp" is a file extension, not a full stop.)
ASCII_PUNCTUATION_RE = re.compile(r"[\u4e00-\u9fff](?:[,:;!?()]|\.(?!\w))|[,:;!?()][\u4e00-\u9fff]")

# name -> (index of the context argument or None, index of the msgid argument)
PY_TRANSLATION_CALLS = {
    "_": (None, 0),
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "ngettext": (None, 0),
    "ngettext_lazy": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1),
    "npgettext_lazy": (0, 1),
}
SKIPPED_DIRS = {"tests", "migrations", "vendor", "__pycache__"}
SKIPPED_FILES = {"conftest.py", "testing.py"}

TRANSLATE_TAG_RE = re.compile(
    r"""\{%\s*(?:translate|trans)\s+(?P<quote>["'])(?P<msgid>.*?)(?P=quote)(?P<rest>[^%]*)%\}""", re.S
)
BLOCK_RE = re.compile(
    r"\{%\s*(?:blocktranslate|blocktrans)\b(?P<args>.*?)%\}(?P<body>.*?)"
    r"\{%\s*(?:endblocktranslate|endblocktrans)\s*%\}",
    re.S,
)
PLURAL_TAG_RE = re.compile(r"\{%\s*plural\s*%\}")
BLOCK_VAR_RE = re.compile(r"\{\{\s*(\w+)\s*\}\}")
CONTEXT_RE = re.compile(r"""\bcontext\s+(["'])(.*?)\1""")
TEMPLATE_UNDERSCORE_RE = re.compile(r"""\b_\((["'])(.*?)\1\)""")


def _catalogue() -> polib.POFile:
    assert PO_PATH.exists(), f"{PO_PATH} is missing: {UPDATE_HINT}"
    return polib.pofile(str(PO_PATH))


def _live_entries() -> list[polib.POEntry]:
    return [entry for entry in _catalogue() if not entry.obsolete]


def _key(entry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _translations(entry) -> list[str]:
    if entry.msgid_plural:
        return [text for _index, text in sorted(entry.msgstr_plural.items())]
    return [entry.msgstr]


def _placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER_RE.findall(text)) + Counter(POSITIONAL_RE.findall(text.replace("%%", "")))


def _source_files(pattern: str):
    for path in sorted(PACKAGE_DIR.rglob(pattern)):
        relative = path.relative_to(PACKAGE_DIR)
        if SKIPPED_DIRS.intersection(relative.parts[:-1]) or path.name in SKIPPED_FILES:
            continue
        if path.name.startswith("test_"):
            continue
        yield path


def _python_msgids() -> dict[tuple[str | None, str], str]:
    """(context, msgid) -> where it was found, for every translation call with literal arguments."""
    found = {}
    for path in _source_files("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            if name not in PY_TRANSLATION_CALLS:
                continue
            context_index, msgid_index = PY_TRANSLATION_CALLS[name]
            args = node.args
            if len(args) <= msgid_index:
                continue
            msgid_node = args[msgid_index]
            if not (isinstance(msgid_node, ast.Constant) and isinstance(msgid_node.value, str)):
                continue
            context = None
            if context_index is not None:
                context_node = args[context_index]
                if not (isinstance(context_node, ast.Constant) and isinstance(context_node.value, str)):
                    continue
                context = context_node.value
            found.setdefault((context, msgid_node.value), f"{path.relative_to(PACKAGE_DIR)}:{node.lineno}")
    return found


def _block_msgid(body: str, trimmed: bool) -> str:
    """The msgid Django's makemessages writes for a blocktranslate body."""
    text = BLOCK_VAR_RE.sub(lambda m: f"\x00{m.group(1)}\x01", body)
    text = text.replace("%", "%%").replace("\x00", "%(").replace("\x01", ")s")
    if trimmed:
        text = re.sub(r"\s*\n\s*", " ", text.strip())
    return text


def _template_msgids() -> dict[tuple[str | None, str], str]:
    found = {}
    templates_dir = PACKAGE_DIR / "templates"
    paths = [*_source_files("*.html"), *_source_files("*.txt")]
    for path in paths:
        if templates_dir not in path.parents:
            continue
        source = path.read_text(encoding="utf-8")

        def where(offset: int, path=path, source=source) -> str:
            return f"{path.relative_to(PACKAGE_DIR)}:{source.count(chr(10), 0, offset) + 1}"

        for match in TRANSLATE_TAG_RE.finditer(source):
            context = CONTEXT_RE.search(match.group("rest"))
            # makemessages doubles % in a translate literal, and the tag looks the doubled form up.
            key = (context.group(2) if context else None, match.group("msgid").replace("%", "%%"))
            found.setdefault(key, where(match.start()))
        for match in BLOCK_RE.finditer(source):
            args = match.group("args")
            context = CONTEXT_RE.search(args)
            singular = PLURAL_TAG_RE.split(match.group("body"))[0]
            key = (context.group(2) if context else None, _block_msgid(singular, "trimmed" in args.split()))
            found.setdefault(key, where(match.start()))
        for match in TEMPLATE_UNDERSCORE_RE.finditer(source):
            found.setdefault((None, match.group(2)), where(match.start()))
    return found


def test_every_catalogue_entry_is_translated():
    problems = [
        f"{'fuzzy' if entry.fuzzy else 'untranslated'}: {entry.msgid!r}"
        for entry in _live_entries()
        if entry.fuzzy or not entry.translated() or not all(_translations(entry))
    ]
    assert not problems, f"{len(problems)} entries need translation ({UPDATE_HINT}):\n" + "\n".join(problems)


def test_the_catalogue_header_declares_chinese_with_one_plural_form():
    po = _catalogue()
    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == "zh_Hans"
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"


def test_every_translation_keeps_the_placeholders_of_its_msgid():
    problems = []
    for entry in _live_entries():
        expected = _placeholders(entry.msgid)
        if entry.msgid_plural:
            # One Chinese form serves every count, so it must carry what the English plural carries.
            expected = expected | _placeholders(entry.msgid_plural)
        for text in _translations(entry):
            if text and _placeholders(text) != expected:
                problems.append(
                    f"{entry.msgid!r}: {sorted(expected)} became {sorted(_placeholders(text))} in {text!r}"
                )
            if text and "python-format" in entry.flags:
                positional = [name for name in expected if name.startswith("%")]
                values = tuple(1 for _ in positional) if positional else {name: 1 for name in expected}
                try:
                    text % values
                except (KeyError, ValueError, TypeError) as exc:
                    problems.append(f"{entry.msgid!r}: {text!r} cannot be formatted ({exc})")
    assert not problems, "\n".join(problems)


def test_translations_are_chinese_with_chinese_punctuation():
    not_chinese, ascii_punctuation = [], []
    for entry in _live_entries():
        for text in _translations(entry):
            if text and not CJK_RE.search(text):
                not_chinese.append(f"{entry.msgid!r} -> {text!r}")
            if ASCII_PUNCTUATION_RE.search(text):
                ascii_punctuation.append(f"{entry.msgid!r} -> {text!r}")
    assert not not_chinese, "translations without any Chinese:\n" + "\n".join(not_chinese)
    assert not ascii_punctuation, "use ，。：；！？（） in Chinese text:\n" + "\n".join(ascii_punctuation)


def test_the_compiled_catalogue_is_current():
    assert MO_PATH.exists(), f"{MO_PATH} is missing: run `shegong compile_translations` (make translations)"
    compiled = {_key(entry): _translations(entry) for entry in polib.mofile(str(MO_PATH)) if entry.msgid}
    stale = [
        entry.msgid
        for entry in _live_entries()
        if entry.translated() and not entry.fuzzy and compiled.get(_key(entry)) != _translations(entry)
    ]
    assert not stale, "the .mo is older than the .po: run `shegong compile_translations`:\n" + "\n".join(
        map(repr, stale)
    )


@pytest.mark.parametrize(
    ("msgid", "expected"),
    [
        ("Log in", "登录"),
        ("Audit trail", "审计日志"),
        ("Shegong", "社工站系统"),
        ("Social work station management system", "社工站管理信息系统"),
        ("Township", "乡镇（街道）"),
    ],
)
def test_the_ui_speaks_chinese(msgid, expected):
    with translation.override("zh-hans"):
        assert translation.gettext(msgid) == expected


def test_formatted_strings_translate_with_their_values():
    with translation.override("zh-hans"):
        text = translation.gettext("Account %(name)s created.") % {"name": "wang01"}
    assert "wang01" in text
    assert CJK_RE.search(text)


def test_the_source_scan_finds_strings_in_python_and_templates():
    """Guards the scanners below against silently finding nothing."""
    python, templates = _python_msgids(), _template_msgids()
    assert (None, "Audit trail") in python
    assert (None, "Log in") in templates
    assert (None, "Page %(n)s of %(total)s") in templates
    assert len(python) > 50 and len(templates) > 50


def test_every_marked_string_in_the_source_is_translated():
    catalogue = {_key(entry): entry for entry in _live_entries()}
    problems = []
    for key, where in sorted({**_template_msgids(), **_python_msgids()}.items(), key=lambda kv: kv[1]):
        entry = catalogue.get(key)
        context, msgid = key
        label = f"{where}: {msgid!r}" + (f" (context {context!r})" if context else "")
        if entry is None:
            problems.append(f"{label} is not in the catalogue")
        elif entry.fuzzy or not entry.translated():
            problems.append(f"{label} is not translated")
    assert not problems, f"{len(problems)} source strings lack a translation ({UPDATE_HINT}):\n" + "\n".join(
        problems
    )
