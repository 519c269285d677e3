from django.apps import AppConfig


class ReadingListConfig(AppConfig):
    name = "lantern.readinglist"
    label = "readinglist"
    verbose_name = "Reading list"
