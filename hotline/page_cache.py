"""Public pages rendered once per process and filled in for each request.

The empty report form and the receipt differ from one visitor to the next only in a few short values: their CSRF
token and one-time form token, or their reference, access code and links. Everything else on them depends on the
language, the catalogue and the hotline settings (`cases.catalog.catalogue_version`), the day (the units in force)
and what a caller adds to the key (the self-help library's version, the report's category). Rendering them again for
every visitor was most of those requests' server time (the form's ~70 widget templates; the receipt's layout, crisis
panel and articles).

`page()` renders the template once with a placeholder in place of each per-request value, keeps the HTML in this
process's memory (so a new release never serves an old page), and puts each visitor's values in, escaped as the
template's `{{ name }}` would have. A template served this way must show those values only plainly (`{{ name }}`, as
text or as an attribute's value), never through a filter or a tag. The page is rendered as usual (None) when it
would not be the same for everybody: a query string, messages to show, or the shared cache that versions the
catalogue is down.
"""

import re
import secrets
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language

from cases.catalog import catalogue_version

# One random marker per process: nothing a template shows can contain it by chance.
_MARK = f"page-value-{secrets.token_hex(6)}"
_PLACEHOLDER = re.compile(re.escape(_MARK) + r"-([a-z_]+)-end")

# (template, language, request path, *key) -> ((catalogue version, day), rendered HTML with placeholders). A key's
# entry is replaced when the catalogue or the day changes; keys are few (languages × categories × crisis or not).
_pages: dict[tuple[Any, ...], tuple[tuple[Any, ...], str]] = {}


def placeholder(name: str) -> str:
    return f"{_MARK}-{name}-end"


def page(
    request: HttpRequest,
    template_name: str,
    context: Callable[[], dict[str, Any]],
    *,
    values: dict[str, str],
    key: tuple[Any, ...] = (),
) -> str | None:
    """The HTML of `template_name` rendered with `context()` (called only when the page is rendered) and this
    request's `values` ({name: str}), or None when the caller must render it as usual."""
    if request.META.get("QUERY_STRING") or messages.get_messages(request):
        return None
    version = catalogue_version()
    if version is None:
        return None
    cache_key = (template_name, get_language(), request.path, *key)
    versions = (version, timezone.localdate())
    cached = _pages.get(cache_key)
    if cached is None or cached[0] != versions:
        placeholders = {name: placeholder(name) for name in values}
        cached = (versions, render_to_string(template_name, {**context(), **placeholders}, request=request))
        _pages[cache_key] = cached
    # One pass: a value that happened to contain a placeholder is never filled in again.
    return _PLACEHOLDER.sub(lambda match: escape(values[match.group(1)]), cached[1])


def forget() -> None:
    """Drop every rendered page (tests)."""
    _pages.clear()
