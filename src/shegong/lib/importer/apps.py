from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ImporterConfig(AppConfig):
    name = "shegong.lib.importer"
    label = "importer"
    verbose_name = "Imports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Each domain declares its ledgers in <app>/ledgers.py.
        autodiscover_modules("ledgers")
        from shegong.lib.importer import engine  # noqa: F401 - registers the job handler
