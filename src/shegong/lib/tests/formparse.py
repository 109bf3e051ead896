"""The forms of a page as a browser would send them (for test_form_fuzz.py): each form's method, action and
fields, and a baseline of values a user would plausibly send (what the page holds, else the first choice, a
text, a number, today)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.utils import timezone

# Inputs a user does not type into.
NOT_FIELDS = {"submit", "button", "reset", "image", "file"}


@dataclass
class Field:
    name: str
    kind: str  # the input's type, "select", "textarea"
    options: list[str] = field(default_factory=list)
    required: bool = False


@dataclass
class Form:
    method: str
    action: str
    fields: list[Field] = field(default_factory=list)
    baseline: dict[str, list[str]] = field(default_factory=dict)


def _sample(kind: str, attrs: dict) -> str:
    """A plausible value for an empty input of ``kind``."""
    today = timezone.localdate()
    return {
        "number": attrs.get("min") or "1",
        "date": attrs.get("max") or today.isoformat(),
        "time": "09:00",
        "month": today.strftime("%Y-%m"),
        "datetime-local": today.isoformat() + "T09:00",
        "email": "someone@example.com",
        "tel": "13800000000",
        "url": "https://example.com/",
        "password": "Another-Passw0rd!",
    }.get(kind, "测试")


class _Parser(HTMLParser):
    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: tuple[Field, bool] | None = None  # the select being read, whether one option is selected
        self.textarea: tuple[str, list[str], dict] | None = None
        self.option: tuple[str | None, dict] | None = None
        self.option_text: list[str] = []
        self.buttons: set[str] = set()

    def _field(self, name: str, kind: str, required: bool) -> Field:
        for known in self.form.fields:
            if known.name == name:
                return known
        made = Field(name, kind, required=required)
        self.form.fields.append(made)
        return made

    def _add(self, name: str, value: str) -> None:
        self.form.baseline.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = {k: v if v is not None else "" for k, v in attrs}
        if tag == "form":
            action = urljoin(self.url, attrs.get("action") or self.url)
            self.form = Form((attrs.get("method") or "get").lower(), urlsplit(action).path)
            self.forms.append(self.form)
            self.buttons = set()
            return
        if self.form is None or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "button" and name and attrs.get("type", "submit") == "submit":
            if name not in self.buttons:  # the first submit button of a name is the one pressed
                self.buttons.add(name)
                self._add(name, attrs.get("value", ""))
        elif tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in NOT_FIELDS:
                if kind == "submit" and name not in self.buttons:
                    self.buttons.add(name)
                    self._add(name, attrs.get("value", ""))
                return
            if name == "csrfmiddlewaretoken":
                return
            known = self._field(name, kind, "required" in attrs)
            value = attrs.get("value", "")
            if kind == "checkbox":
                known.options.append(value or "on")
                if "checked" in attrs or "required" in attrs:
                    self._add(name, value or "on")
            elif kind == "radio":
                known.options.append(value)
                if "checked" in attrs and name not in self.form.baseline:
                    self._add(name, value)
            else:
                self._add(name, value or ("" if kind == "hidden" else _sample(kind, attrs)))
        elif tag == "select" and name:
            self.select = (self._field(name, "select", "required" in attrs), "multiple" in attrs)
            self.selected = False
        elif tag == "option" and self.select is not None:
            self.option = (attrs.get("value"), attrs)
            self.option_text = []
        elif tag == "textarea" and name:
            self.textarea = (name, [], attrs)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)
        if self.option is not None:
            self.option_text.append(data)

    def _end_option(self):
        value, attrs = self.option
        value = value if value is not None else "".join(self.option_text).strip()
        select, _multiple = self.select
        select.options.append(value)
        if "selected" in attrs and not self.selected:
            self._add(select.name, value)
            self.selected = True
        self.option = None

    def handle_endtag(self, tag):
        if tag == "option" and self.option is not None:
            self._end_option()
        elif tag == "select" and self.select is not None:
            if self.option is not None:
                self._end_option()
            select, _multiple = self.select
            if not self.selected:
                chosen = next((o for o in select.options if o), None)
                if chosen is not None:
                    self._add(select.name, chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text, _attrs = self.textarea
            self._field(name, "textarea", "required" in _attrs)
            self._add(name, "".join(text).strip() or "测试")
            self.textarea = None
        elif tag == "form":
            if self.form is not None:
                for known in self.form.fields:
                    if known.kind == "radio" and known.name not in self.form.baseline and known.options:
                        self._add(known.name, known.options[0])
            self.form = None


def page_forms(html: str, url: str) -> list[Form]:
    """The forms of the page ``html`` served at ``url``."""
    parser = _Parser(url)
    parser.feed(html)
    parser.close()
    return parser.forms
