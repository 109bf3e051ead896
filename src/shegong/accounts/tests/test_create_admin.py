"""The first administrator of a new installation (README step 3), in the installer's language."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shegong.accounts.models import User
from shegong.accounts.roles import Role


@pytest.mark.django_db
def test_the_first_administrator_is_created_from_the_environment_and_told_in_chinese(monkeypatch):
    monkeypatch.setenv("SHEGONG_ADMIN_PASSWORD", "Abcdef-12345")
    out = StringIO()
    call_command("create_admin", "alice", full_name="张三", stdout=out)
    alice = User.objects.get(username="alice")
    assert (alice.role, alice.full_name, alice.must_change_password) == (Role.SYSADMIN, "张三", False)
    assert alice.check_password("Abcdef-12345")
    assert "已创建系统管理员账号 alice；首次登录时设置双因素认证。" in out.getvalue()
    with pytest.raises(CommandError, match="账号 alice 已存在。"):
        call_command("create_admin", "alice")


@pytest.mark.django_db
def test_passwords_that_differ_or_are_weak_are_refused_in_chinese_and_create_nothing(monkeypatch):
    monkeypatch.delenv("SHEGONG_ADMIN_PASSWORD", raising=False)
    typed = iter(["Abcdef-12345", "Abcdef-54321"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(typed))
    with pytest.raises(CommandError, match="两次输入的密码不一致。"):
        call_command("create_admin", "bob", role=Role.AUDITOR)
    monkeypatch.setenv("SHEGONG_ADMIN_PASSWORD", "short1A!")
    # Django 5.2's own Chinese catalogue lacks this message's new wording; ours carries it
    with pytest.raises(CommandError, match="密码太短，至少需要 10 个字符。"):
        call_command("create_admin", "bob", role=Role.AUDITOR)
    assert not User.objects.filter(username="bob").exists()
