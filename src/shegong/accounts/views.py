import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from shegong.accounts import services
from shegong.accounts.auth import LoginError, check_login, locked_json, locked_message, retry_after_seconds
from shegong.accounts.forms import (
    AccountEditForm,
    AccountForm,
    LoginForm,
    PasswordChangeForm,
    ResetPasswordForm,
    TokenForm,
)
from shegong.accounts.lists import ACCOUNTS
from shegong.accounts.roles import Cap
from shegong.accounts.selectors import account_get, lockout_list, security_settings
from shegong.lib.decorators import capability_required, login_required
from shegong.lib.forms import add_service_errors, form_page, post_action


@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = check_login(
                request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                otp_token=form.cleaned_data["otp_token"],
            )
        except LoginError as exc:
            if exc.code == "locked":
                return _locked_page(request, form.cleaned_data["username"].strip())
            form.add_error(None, exc.message)
        else:
            login(request, result.user)
            if result.device is not None:
                otp_login(request, result.device)
            if result.needs_enrolment:
                return redirect("accounts:two_factor_setup")
            next_url = request.GET.get("next", "")
            if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                return redirect(next_url)
            return redirect("core:home")
    return render(
        request,
        "accounts/login.html",
        {"form": form, "two_factor_off": not settings.TWO_FACTOR_REQUIRED, "demo": settings.DEMO},
    )


def locked_out(request, response=None, credentials=None):
    """django-axes calls this when it refuses a login because the username is locked, on the page and on the
    API token endpoint alike (they share one failure counter): the API gets JSON, the page the login form."""
    username = str((credentials or {}).get("username") or "").strip()
    if request.path.startswith("/api/"):
        return locked_json(username)
    return _locked_page(request, username)


def _locked_page(request, username: str):
    """The login form again, its username filled in, saying how long the lockout lasts."""
    form = LoginForm(initial={"username": username})
    response = render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "lockout": locked_message(username),
            "two_factor_off": not settings.TWO_FACTOR_REQUIRED,
            "demo": settings.DEMO,
        },
        status=403,
    )
    response["Retry-After"] = str(retry_after_seconds(username))
    return response


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("You have logged out."))
    return redirect("accounts:login")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_change_own_password(
                request=request,
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("core:home")
    return render(
        request, "accounts/password_change.html", {"form": form, "expired": request.user.password_expired}
    )


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    if request.user.is_verified():
        return redirect("core:home")
    device = services.totp_device_for_setup(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_confirm(
            request=request, user=request.user, device=device, token=form.cleaned_data["token"]
        ):
            otp_login(request, device)
            messages.success(request, _("Two-factor login is set up."))
            return redirect("core:home")
        form.add_error("token", _("The verification code is wrong or has expired."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "qr_svg": _qr_svg(device.config_url), "secret": secret},
    )


@capability_required(Cap.ACCOUNTS_MANAGE)
def account_list_view(request):
    return ACCOUNTS.page(request, "accounts/account_list.html")


@capability_required(Cap.ACCOUNTS_MANAGE)
@require_http_methods(["GET", "POST"])
def account_create(request):
    fields = ("username", "password", "role", "jurisdiction", "full_name")
    return form_page(
        request,
        AccountForm(request.POST or None),
        "accounts/account_form.html",
        {"creating": True},
        run=lambda data: services.user_create(actor=request.user, **{key: data[key] for key in fields}),
        success=lambda user: _("Account %(name)s created.") % {"name": user.username},
        then="accounts:list",
    )


@capability_required(Cap.ACCOUNTS_MANAGE)
@require_http_methods(["GET", "POST"])
def account_edit(request, pk: int):
    account = account_get(user=request.user, pk=pk)
    initial = {
        "username": account.username,
        "full_name": account.full_name,
        "role": account.role,
        "jurisdiction": account.jurisdiction_id or "",
        "is_active": account.is_active,
    }
    fields = ("role", "jurisdiction", "full_name", "is_active")
    return form_page(
        request,
        AccountEditForm(request.POST or None, initial=initial),
        "accounts/account_form.html",
        {"creating": False, "account": account, "reset_form": ResetPasswordForm()},
        run=lambda data: services.user_update(
            actor=request.user, user=account, **{key: data[key] for key in fields}
        ),
        success=_("Account %(name)s saved.") % {"name": account.username},
        then="accounts:list",
    )


@capability_required(Cap.ACCOUNTS_MANAGE)
@require_POST
def account_reset_password(request, pk: int):
    account = account_get(user=request.user, pk=pk)
    return post_action(
        request,
        ResetPasswordForm(request.POST),
        lambda data: services.user_reset_password(
            actor=request.user, user=account, password=data["password"]
        ),
        success=_("A temporary password is set; the user must change it at next login."),
        then=("accounts:edit", account.pk),
        invalid=_("Enter a temporary password."),
    )


@capability_required(Cap.ACCOUNTS_MANAGE)
@require_POST
def account_reset_two_factor(request, pk: int):
    account = account_get(user=request.user, pk=pk)
    services.user_reset_two_factor(actor=request.user, user=account)
    messages.success(request, _("Two-factor login is reset; the user sets it up again at next login."))
    return redirect("accounts:edit", pk=account.pk)


@capability_required(Cap.SECURITY_MANAGE)
def security_view(request):
    """The security administrator's page: the settings in force (read-only) and the lockouts."""
    return render(
        request,
        "accounts/security.html",
        {
            "settings_in_force": security_settings(user=request.user),
            "lockouts": lockout_list(user=request.user),
            "limit": settings.AXES_FAILURE_LIMIT,
        },
    )


@capability_required(Cap.SECURITY_MANAGE)
@require_POST
def lockout_release_view(request):
    username, ip = request.POST.get("username", ""), request.POST.get("ip", "")
    try:
        removed = services.lockout_release(actor=request.user, request=request, username=username, ip=ip)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if removed:
            messages.success(request, _("Released: %(who)s may log in again.") % {"who": username or ip})
        else:
            messages.info(request, _("%(who)s was not locked.") % {"who": username or ip})
    return redirect("accounts:security")
