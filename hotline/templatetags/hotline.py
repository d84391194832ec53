from django import forms, template

register = template.Library()


@register.filter
def is_choice_group(field):
    """Radio buttons and checkbox lists are fieldsets with a legend, not a single labelled control."""
    return isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def is_checkbox(field):
    return isinstance(field.field.widget, forms.CheckboxInput)
