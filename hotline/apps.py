from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "hotline"
    verbose_name = "Hotline"

    def ready(self):
        # The library adds its figure to the statistics page and its links to the case page (cases imports
        # nothing of ours, so we register with it).
        from cases import extensions
        from hotline import library

        if library.dashboard_section not in extensions.dashboard_sections:
            extensions.dashboard_sections.append(library.dashboard_section)
        if library.chat_links not in extensions.chat_link_sources:
            extensions.chat_link_sources.append(library.chat_links)
