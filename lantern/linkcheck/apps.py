from django.apps import AppConfig


class LinkcheckConfig(AppConfig):
    name = "lantern.linkcheck"
    label = "linkcheck"
    verbose_name = "Link checking"
