from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shegong.core"
    label = "core"

    def ready(self) -> None:
        from shegong.lib import lists  # noqa: F401  (registers the export job of every list)
