"""Where other apps add to the pages of `cases` without `cases` importing them.

An app appends a callable to a list below from its AppConfig.ready(); `cases` calls whatever is registered.
"""

from dataclasses import dataclass, field


@dataclass
class DashboardSection:
    """A section of the statistics page: a heading and a template rendered with `context`."""

    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)


# callable(period) -> DashboardSection | None: extra sections at the end of the statistics page.
dashboard_sections = []

# callable(request, case) -> list of {"title": ..., "text": ...}: links a counsellor may insert into the chat.
chat_link_sources = []


def sections_for(period):
    return [section for source in dashboard_sections if (section := source(period)) is not None]


def chat_links_for(request, case):
    return [link for source in chat_link_sources for link in source(request, case)]
