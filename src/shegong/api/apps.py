from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "shegong.api"
    label = "api"

    def ready(self):
        # Registers the bearer-token scheme with drf-spectacular before any schema is generated.
        from shegong.api import schema  # noqa: F401
