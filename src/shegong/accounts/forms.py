from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.accounts.roles import Role
from shegong.regions.models import Region
from shegong.regions.picker import RegionField


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    otp_token = forms.CharField(
        label=_("Verification code"),
        required=False,
        max_length=8,
        help_text=_("Administrators: the 6-digit code from your authenticator app."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("New password again"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("The two new passwords differ."))
        return data


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Verification code"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class AccountForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[A-Za-z0-9_.@-]+$",
        error_messages={"invalid": _("Use letters, digits and _ . @ - only.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=64, required=False)
    # No role is chosen for the administrator: a new account gets the role someone picked, never by default
    # the most powerful one.
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", _("Please choose"))] + Role.choices,
        error_messages={"required": _("Choose the account's role.")},
    )
    jurisdiction = RegionField(
        label=_("Jurisdiction"),
        required=False,
        help_text=_("Empty for system, security and audit administrators."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput,
        help_text=_("The user must change it at first login."),
    )

    def clean_jurisdiction(self):
        code = self.cleaned_data["jurisdiction"]
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("No division has the code %(code)s."), params={"code": code})
        return region


class AccountEditForm(AccountForm):
    password = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].disabled = True


class ResetPasswordForm(forms.Form):
    password = forms.CharField(label=_("Temporary password"), widget=forms.PasswordInput)
