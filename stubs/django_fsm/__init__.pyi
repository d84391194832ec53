# The part of django-fsm-2 the hotline uses, for mypy: the package's own hints leave its model mixin and its field
# untyped (Any), which would make every model that uses them, and every query on those models, Any.
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models

_F = TypeVar("_F", bound=Callable[..., Any])

class TransitionNotAllowed(Exception):
    def __init__(self, *args: Any, object: Any = ..., method: Any = ...) -> None: ...

class ConcurrentTransition(Exception): ...

class FSMField(models.CharField[Any, Any]):
    def __init__(self, *args: Any, protected: bool = ..., **kwargs: Any) -> None: ...

class ConcurrentTransitionMixin:
    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None: ...
    def save(self, *args: Any, **kwargs: Any) -> None: ...

def transition(
    field: Any,
    source: Any = ...,
    target: Any = ...,
    on_error: Any = ...,
    conditions: Any = ...,
    permission: Any = ...,
    custom: Any = ...,
) -> Callable[[_F], _F]: ...
def can_proceed(bound_method: Any, check_conditions: bool = ...) -> bool: ...
def has_transition_perm(bound_method: Any, user: Any) -> bool: ...
