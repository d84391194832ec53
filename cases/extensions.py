"""Where other apps add to `cases` without `cases` importing them: the statistics page, the annual report, the
case page and the retention purge.

An app registers a callable here from its AppConfig.ready() (registering twice keeps one); `cases` calls whatever
is registered. `hotline` adds the library's section and chat links, `escalation` its figures, their rollup and its
purge; the reporter's outcome has its own registry in cases.outcomes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cases.statistics import EscalationFigures, Period


@dataclass
class DashboardSection:
    """A section of the statistics page: a heading and a template rendered with `context`."""

    key: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


# callable(period) -> DashboardSection | None: extra sections at the end of the statistics page.
dashboard_sections: list[Callable[[Any], DashboardSection | None]] = []

# callable(request, case) -> list of {"title": ..., "text": ...}: links a counsellor may insert into the chat.
chat_link_sources: list[Callable[[Any, Any], list[dict[str, str]]]] = []

# callable(period) -> cases.statistics.EscalationFigures: the escalations of the statistics page, the annual report
# and its downloads. The first registered one is used; with none, they say that no escalation figures exist.
escalation_figure_sources: list[Callable[[Period], EscalationFigures]] = []


@dataclass(frozen=True)
class RollupSource:
    """Another app's rows in the statistics rollup (cases/rollup.py), recounted with the cases' own: `refresh_day`
    (day, start, end) and `refresh_month` (first day, first day of the next month) run inside the recount's
    transaction with the day's lock held; `days(first_day, last_day)` names the days the app has something to count
    (for the rebuild). The app marks a changed day with cases.rollup.mark_changed."""

    refresh_day: Callable[..., object]
    refresh_month: Callable[..., object]
    days: Callable[..., Iterable[Any]]


rollup_sources: list[RollupSource] = []

# callable(case_ids): runs inside the purge's transaction, for cases whose personal data is being removed, and removes
# the copies another app keeps (an escalation's packet). Idempotent.
purge_hooks: list[Callable[[list[int]], object]] = []


def _add(registry: list[Any], source: Any) -> Any:
    if source not in registry:
        registry.append(source)
    return source


def add_dashboard_section(source: Callable[[Any], DashboardSection | None]) -> None:
    _add(dashboard_sections, source)


def add_chat_links(source: Callable[[Any, Any], list[dict[str, str]]]) -> None:
    _add(chat_link_sources, source)


def add_escalation_figures(source: Callable[[Period], EscalationFigures]) -> None:
    _add(escalation_figure_sources, source)


def add_rollup_source(source: RollupSource) -> None:
    _add(rollup_sources, source)


def add_purge_hook(hook: Callable[[list[int]], object]) -> None:
    _add(purge_hooks, hook)


def sections_for(period: Any) -> list[DashboardSection]:
    return [section for source in dashboard_sections if (section := source(period)) is not None]


def chat_links_for(request: Any, case: Any) -> list[dict[str, str]]:
    return [link for source in chat_link_sources for link in source(request, case)]


def purge_other_apps(case_ids: Iterable[int]) -> None:
    ids = list(case_ids)
    for hook in purge_hooks:
        hook(ids)
