"""`shegong check --deploy`: the front-end libraries every page loads are installed and collected.

They are build output (`npm run build` copies them into static/vendor, git ignores them), so a package
installed before the build, or a collectstatic run before the package had them, serves a 500 on every page
("Missing staticfiles manifest entry"), and so does a server whose STATIC_ROOT holds no collected files (a
process started in another directory than collectstatic, with SHEGONG_DATA_DIR left to its default ./var).
Saying so at step 3 of README's deployment costs less than finding it at the first login.
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.checks import Error, Tags, register

# The files templates/base.html and includes/charts_script.html load (scripts/vendor-static.mjs copies them).
VENDOR_FILES = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "vendor/echarts/echarts.min.js",
)


@register(Tags.staticfiles, deploy=True)
def vendor_files_installed(app_configs=None, **kwargs) -> list[Error]:
    manifest = isinstance(staticfiles_storage, ManifestFilesMixin)
    collected = staticfiles_storage.load_manifest()[0] if manifest else None
    if collected and all(name in collected for name in VENDOR_FILES):
        return []  # what the servers serve is there, whatever the package holds now
    missing = [name for name in VENDOR_FILES if not finders.find(name)]
    if missing:
        return [
            Error(
                f"the front-end files {', '.join(missing)} are not in the installed package",
                hint="In the checkout run `npm ci && npm run build`, then `pip install .` again and "
                "`shegong collectstatic --no-input` (README, 部署, step 1).",
                id="shegong.E001",
            )
        ]
    if not manifest:
        return []
    if not collected:
        # Also what a process started in another directory sees: SHEGONG_DATA_DIR defaults to ./var.
        return [
            Error(
                f"no static files are collected in {settings.STATIC_ROOT}",
                hint="Run `shegong collectstatic --no-input` with the environment the servers have; set "
                "SHEGONG_DATA_DIR (or STATIC_ROOT) to the same absolute path for every process and command.",
                id="shegong.E003",
            )
        ]
    stale = [name for name in VENDOR_FILES if name not in collected]
    return [
        Error(
            f"{', '.join(stale)} are missing from the collected static files in {settings.STATIC_ROOT}",
            hint="Run `shegong collectstatic --no-input` again.",
            id="shegong.E002",
        )
    ]
