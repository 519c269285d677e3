from django.apps import AppConfig


class LegacyConfig(AppConfig):
    name = "lantern.legacy"
    label = "legacy"
    verbose_name = "Legacy importer"
