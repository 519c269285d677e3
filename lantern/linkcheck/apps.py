from django.apps import AppConfig


class LinkcheckConfig(AppConfig):
    name = "lantern.linkcheck"
    label = "linkcheck"
    verbose_name = "Link checking"

    def ready(self) -> None:
        from lantern.core.jobs import register
        from lantern.core.models import Job
        from lantern.linkcheck.services import handle_check_job

        register(Job.Kind.CHECK, handle_check_job)
