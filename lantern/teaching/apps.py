from django.apps import AppConfig


class TeachingConfig(AppConfig):
    name = "lantern.teaching"
    label = "teaching"
    verbose_name = "Teaching resources"
