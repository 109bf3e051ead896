from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shegong.core"
    label = "core"
