from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """Synthetic province-sized data and the benchmark that measures the pages on it (no URLs, no models)."""

    name = "shegong.scale"
    label = "scale"
    verbose_name = "Scale"
