from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "hotline"
    verbose_name = "Hotline"

    def ready(self):
        # The library adds its figure to the statistics page and its links to the case page (cases imports
        # nothing of ours, so we register with it).
        from cases import extensions
        from hotline import library

        extensions.add_dashboard_section(library.dashboard_section)
        extensions.add_chat_links(library.chat_links)
