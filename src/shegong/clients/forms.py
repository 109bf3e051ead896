from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.accounts.models import User
from shegong.clients.inputs import PERSON, VISIT
from shegong.clients.models import (
    Answer,
    RelationKind,
    RiskLevel,
    Topic,
)
from shegong.lib.inputs import DATE
from shegong.lib.uploads import PHOTO, WorkbookUploadForm, check_upload
from shegong.regions.models import Region


class PersonForm(PERSON.form()):
    """The person's file: the fields declared in clients/inputs.py PERSON, then who looks after them."""

    responsible = forms.ModelChoiceField(
        label=_("Responsible worker"),
        queryset=None,
        required=False,
        help_text=_("Their workbench lists this person's visits; nobody: every worker of the township."),
    )
    confirm_duplicates = forms.BooleanField(
        label=_("Create anyway: this is another person"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, categories, editing: bool = False, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = categories
        if workers is None:
            del self.fields["responsible"]
        else:
            self.fields["responsible"].queryset = workers
            self.fields["responsible"].label_from_instance = lambda u: u.full_name or u.username
        self.editing = editing
        # Drafts (static/shegong/fieldwork.js) never keep identifiers in the browser's storage.
        for name in ("id_number", "phone", "guardian_phone"):
            self.fields[name].widget.attrs["data-no-draft"] = ""
        if editing:
            for name in ("id_number", "phone", "guardian_phone"):
                self.fields[name].help_text = _("On file; shown masked. Type a new value to change it.")

    def show_duplicate_confirmation(self) -> None:
        self.fields["confirm_duplicates"].widget = forms.CheckboxInput()

    def clean_region(self):
        code = self.cleaned_data["region"].strip()
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("No division with the code “%(code)s”.") % {"code": code})
        return region

    def service_fields(self) -> dict:
        """The service's arguments: every field but the confirmation of a possible duplicate."""
        data = dict(self.cleaned_data)
        data.pop("confirm_duplicates", None)
        if self.editing:
            # Protected values are never put back into the page; an empty box keeps what is on file.
            for name in ("id_number", "phone", "guardian_phone"):
                if not data.get(name):
                    data.pop(name, None)
        return data


class HouseholdForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    relation = forms.ChoiceField(label=_("Relation"), choices=RelationKind.choices)
    lives_together = forms.BooleanField(label=_("Lives in the household"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), max_length=100, required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos at once (taken on the phone, shrunk in the browser: static/shegong/photos.js), each
    checked by lib/uploads.py."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(n)d photos per visit.") % {"n": MAX_PHOTOS})
        cleaned = []
        for number, upload in enumerate(files, start=1):
            upload = super().clean(upload, initial)
            if upload:
                check_upload(upload, accept=PHOTO, field=str(_("Photo %(n)d") % {"n": number}))
                cleaned.append(upload)
        return cleaned


MAX_PHOTOS = 6
ANSWER_CHOICES = [("", _("Not looked at")), *Answer.choices]


class VisitForm(VISIT.form()):
    """The visit: date, mode, the person's checklist (one row of three buttons per question), what was found,
    photos, a follow-up task, the next visit. Fields ``q_<item pk>`` are the checklist; the visit's own fields
    are declared in clients/inputs.py VISIT."""

    photos = PhotosField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/*", "capture": "environment", "data-shrink": "1600"}
        ),
        help_text=_(
            "Taken with the phone's camera; shrunk before upload. Seen only by those who may see the file."
        ),
    )
    latitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput)
    longitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput)
    followup_task = forms.CharField(
        label=_("Follow-up task"),
        max_length=200,
        required=False,
        help_text=_("Something to do after this visit; it appears on the owner's workbench."),
    )
    followup_owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False, empty_label=None)
    followup_due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE)

    # The photos and the follow-up task between what was found and the next visit.
    field_order = [
        "visited_on",
        "mode",
        "findings",
        "needs",
        "photos",
        "latitude",
        "longitude",
        "followup_task",
    ]
    field_order += ["followup_owner", "followup_due_on", "next_due"]

    def __init__(self, *args, checklist=(), owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = list(checklist)
        for item in self.checklist:
            self.fields[f"q_{item.pk}"] = forms.ChoiceField(
                label=item.question, choices=ANSWER_CHOICES, required=False, widget=forms.RadioSelect
            )

        self.fields["followup_owner"].queryset = owners if owners is not None else User.objects.none()

    def checklist_fields(self):
        return [(item, self[f"q_{item.pk}"]) for item in self.checklist]

    def clean(self):
        data = super().clean()
        if (data.get("followup_task") or "").strip() and not data.get("followup_due_on"):
            self.add_error("followup_due_on", _("Give the date by which the task is to be done."))
        return data

    def service_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("q_")}
        data["answers"] = {item: self.cleaned_data.get(f"q_{item.pk}") or "" for item in self.checklist}
        return data


class VisitRuleForm(forms.Form):
    key = forms.ChoiceField(label=_("Rule for"))
    interval_days = forms.IntegerField(label=_("Visit at least every (days)"), min_value=1, max_value=730)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = {str(c.pk): c for c in categories}
        self.fields["key"].choices = [
            *[(f"risk:{value}", label) for value, label in RiskLevel.choices],
            *[(f"category:{c.pk}", c.name) for c in categories],
        ]

    def rule_key(self) -> dict:
        kind, value = self.cleaned_data["key"].split(":", 1)
        if kind == "risk":
            return {"risk_level": value, "category": None}
        return {"risk_level": "", "category": self.categories[value]}


class CategoryForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=32)


class UploadForm(WorkbookUploadForm):
    """The import's upload: lib/uploads.py checks the file (an .xlsx by its content, its size, its bounds)."""


class RosterForm(UploadForm):
    category = forms.ModelChoiceField(
        label=_("Category the roster stands for"),
        queryset=None,
        required=False,
        help_text=_("e.g. 低保 for the 低保 roster: people on file without it are listed."),
    )
    days = forms.IntegerField(label=_("Visited within (days)"), min_value=1, max_value=730, initial=90)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class ChecklistItemForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=32)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    question = forms.CharField(label=_("Question"), max_length=100)
    concern_label = forms.CharField(
        label=_("Name of a concern in figures"), max_length=50, help_text=_("e.g. 发现住房不安全")
    )
    category = forms.ModelChoiceField(
        label=_("Only for the category"), queryset=None, required=False, empty_label=_("Everybody")
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
