from django.apps import AppConfig


class CaptureConfig(AppConfig):
    name = "lantern.capture"
    label = "capture"
    verbose_name = "Capture and snapshots"
