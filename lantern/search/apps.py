from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "lantern.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        # Keep the index in step with every write the ORM announces.
        from lantern.search import signals

        signals.connect()
