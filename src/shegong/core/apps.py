from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shegong.core"
    label = "core"

    def ready(self) -> None:
        from shegong.core import checks  # noqa: F401  (registers the deployment checks)
        from shegong.lib import lists  # noqa: F401  (registers the export job of every list)
