"""`shegong check --deploy` names the front-end files a package was installed without (README, 部署, step 1),
and static files not collected where the servers look: either way every page of a production installation
answered 500."""

import json

import pytest
from django.contrib.staticfiles import finders
from django.core.checks import registry

from shegong.core.checks import VENDOR_FILES, vendor_files_installed

MANIFEST = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}


@pytest.fixture
def built(settings, tmp_path_factory):
    """The front-end files as `npm run build` leaves them, in a folder of their own: the suite runs from a
    checkout that need not have built them (`make test` does not)."""
    folder = tmp_path_factory.mktemp("built")
    for name in VENDOR_FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("/* built */")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, folder]
    return folder


def test_the_check_runs_with_check_deploy_only():
    assert vendor_files_installed in registry.registry.get_checks(include_deployment_checks=True)
    assert vendor_files_installed not in registry.registry.get_checks()


def test_an_installation_with_its_vendor_files_passes(built):
    assert vendor_files_installed() == []


def test_a_package_installed_before_npm_run_build_is_named(built, monkeypatch):
    real_find = finders.find
    monkeypatch.setattr(
        finders, "find", lambda path, **kw: None if path.startswith("vendor/htmx") else real_find(path, **kw)
    )
    [error] = vendor_files_installed()
    assert error.id == "shegong.E001"
    assert "vendor/htmx/htmx.min.js" in error.msg and "bootstrap" not in error.msg
    assert "npm run build" in error.hint and "pip install" in error.hint


def test_static_files_collected_before_the_vendor_files_are_named(built, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST}
    settings.STATIC_ROOT = tmp_path
    [error] = vendor_files_installed()  # not collected here, as for a server started in another directory
    assert error.id == "shegong.E003" and str(tmp_path) in error.msg and "SHEGONG_DATA_DIR" in error.hint
    manifest = {"paths": {"shegong/app.css": "shegong/app.0123456789ab.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    [error] = vendor_files_installed()
    assert error.id == "shegong.E002"
    assert all(name in error.msg for name in VENDOR_FILES) and "collectstatic" in error.hint

    manifest["paths"].update({name: name for name in VENDOR_FILES})
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    assert vendor_files_installed() == []


def test_collected_files_serve_whatever_the_package_holds(settings, tmp_path, monkeypatch):
    """A server whose collected files have the vendor files is fine though the package was since reinstalled
    without them; without either, the package is named first."""
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST}
    settings.STATIC_ROOT = tmp_path
    monkeypatch.setattr(finders, "find", lambda path, **kw: None)
    [error] = vendor_files_installed()
    assert error.id == "shegong.E001"
    manifest = {"paths": {name: name for name in VENDOR_FILES}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    assert vendor_files_installed() == []
