from django.apps import AppConfig


class CiteConfig(AppConfig):
    name = "lantern.cite"
    label = "cite"
    verbose_name = "Citations"
