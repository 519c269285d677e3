from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "lantern.library"
    label = "library"
    verbose_name = "Library"

    def ready(self) -> None:
        # Imported entries are tagged with topics once stored.
        from lantern.library.signals import entries_written
        from lantern.library.tagging_services import tag_written_entries

        entries_written.connect(
            tag_written_entries, dispatch_uid="lantern.library.tagging"
        )
