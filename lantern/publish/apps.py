from django.apps import AppConfig


class PublishConfig(AppConfig):
    name = "lantern.publish"
    label = "publish"
    verbose_name = "Static site"
