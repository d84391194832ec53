from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and benchmark data (`manage.py seed_demo`): made with the intake rules and builders of `cases`."""

    name = "demo"
    verbose_name = "Demo data"
