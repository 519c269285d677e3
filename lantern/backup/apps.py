from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "lantern.backup"
    label = "backup"
    verbose_name = "Backups"
