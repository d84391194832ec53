"""The report's form fields and rules, shared by the public report form (hotline) and the phone intake (cases)."""

import copy
import functools

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from cases.catalog import choosable
from cases.consent import Grant, giver_for_role
from cases.evidence import inspect_upload
from cases.models import (
    AdministrativeUnit,
    AgeBand,
    Category,
    ConsentChannel,
    ConsentScope,
    ContactPreference,
    Gender,
    Ongoing,
    Platform,
    ReporterRole,
    SafetyAnswer,
)
from cases.plumbing import MAX_DESCRIPTION, MAX_LINKS, check_vietnamese_phone


def count_limited(field, limit):
    """No `maxlength` on the box (a browser cuts pasted text there without a word): a live counter near the limit
    (static/js/forms.js) and a clear error above it instead."""
    field.widget.attrs.pop("maxlength", None)
    field.widget.attrs["data-maxlength"] = str(limit)
    field.widget.attrs["data-count-text"] = _("%(count)s of %(max)s characters")
    field.widget.attrs["data-count-over"] = _("%(over)s characters too many: please shorten it before sending.")
    field.error_messages["max_length"] = _(
        "This is %(show_value)d characters long; at most %(limit_value)d fit. Please shorten it or send the rest "
        "as a message after sending: nothing you wrote has been removed."
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several evidence files in one input; each one is checked by its content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(uploads) > settings.EVIDENCE_MAX_FILES:
            raise ValidationError(
                _("You can send at most %(max)d files at a time.") % {"max": settings.EVIDENCE_MAX_FILES},
                code="too_many",
            )
        errors = []
        for upload in uploads:
            try:
                inspect_upload(upload)
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return uploads


class FixedChoiceField(forms.ChoiceField):
    """A choice among fixed options (an enumeration's). Django copies a form's fields for every form, and a choice
    field's options deeply: for the report's six such fields that was about a third of building the form, for each
    report. Each copy here shares the options instead (they are never changed in place; assigning `choices` to one
    form's field gives that field a list of its own), and still gets its own widget and messages."""

    def __deepcopy__(self, memo):
        # What forms.Field.__deepcopy__ does, but the widget is copied without setting its options again (the
        # widget's `choices` setter normalises them anew for every copy).
        result = copy.copy(self)
        memo[id(self)] = result
        widget = memo[id(self.widget)] = copy.copy(self.widget)
        widget.attrs = self.widget.attrs.copy()
        result.widget = widget
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


@functools.lru_cache(maxsize=2)
def _choice_querysets(day):
    """The querysets of the report's choices on a day, built once per process and day: building their filters took
    about a tenth of a report's time in the API. Never evaluated themselves: each form's field evaluates its copy."""
    return {
        "category": Category.objects.filter(parent__isnull=True, active=True),
        "platforms": Platform.objects.filter(active=True),
        "commune_unit": AdministrativeUnit.objects.current(on=day).order_by("name"),
    }


class KnownChoiceField(forms.ModelChoiceField):
    """A model choice looked up in `known` ({code: instance}, cases.catalog.choosable) when the form was given it,
    instead of one query per report; the same answers and errors as a query of the field's queryset."""

    known = None

    def to_python(self, value):
        if self.known is None or value in self.empty_values:
            return super().to_python(value)
        found = self.known.get(str(value)) if isinstance(value, str | int) else None
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found


class KnownMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The same for several choices (platforms)."""

    known = None

    def _check_values(self, value):
        if self.known is None:
            return super()._check_values(value)
        try:
            codes = frozenset(value)
        except TypeError:
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list") from None
        chosen = []
        for code in codes:
            found = self.known.get(code) if isinstance(code, str) else None
            if found is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": code}
                )
            chosen.append(found)
        order = {code: position for position, code in enumerate(self.known)}  # the queryset's own order
        return sorted(chosen, key=lambda row: order[row.code])


class CategoryChoiceField(KnownChoiceField):
    def label_from_instance(self, obj):
        return obj.child_label


class LinksField(forms.CharField):
    """One link per line (or a list, from the API). A link without a scheme gets https:// in front."""

    widget = forms.Textarea(attrs={"rows": 3, "inputmode": "url", "autocapitalize": "off", "spellcheck": "false"})

    def to_python(self, value):
        if isinstance(value, list | tuple):
            value = "\n".join(str(v) for v in value)
        return super().to_python(value)

    def clean(self, value):
        text = super().clean(value)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise ValidationError(_("Please send at most %(max)d links.") % {"max": MAX_LINKS}, code="too_many")
        links, bad = [], []
        validate = URLValidator(schemes=["http", "https"])
        for line in lines:
            url = line if "://" in line else f"https://{line}"
            try:
                validate(url)
            except ValidationError:
                bad.append(line[:80])
                continue
            if url not in links:
                links.append(url)
        if bad:
            raise ValidationError(
                _("These do not look like links: %(links)s. Copy the address from your browser or app.")
                % {"links": ", ".join(bad)},
                code="invalid_link",
            )
        return links


class IntakeForm(forms.Form):
    """A report's fields and rules, in the young person's voice: the base of the public report form
    (`hotline.forms.ReportForm`, also behind the API) and of the counsellor's phone intake, which re-labels it."""

    reporter_role = FixedChoiceField(
        label=_("Who is this about?"),
        choices=ReporterRole.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    category = CategoryChoiceField(
        label=_("What happened?"),
        queryset=None,  # set per form from _choice_querysets (a class-level one would be copied for nothing)
        to_field_name="code",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose what happened, even if it is only close."),
            "invalid_choice": _("Please choose one of the options."),
        },
    )
    in_danger = forms.BooleanField(label=_("Someone is in danger right now"), required=False)
    # Optional and never pre-selected: a child may skip it. "Yes" makes the report P1 (cases/risk.py).
    safety_answer = FixedChoiceField(
        label=_("Are you thinking about hurting yourself?"),
        help_text=_("You can skip this question. If you answer yes, a counsellor reads your report first."),
        choices=SafetyAnswer.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Please choose one of the options, or leave this question empty.")},
    )
    ongoing = FixedChoiceField(
        label=_("Is it still happening?"),
        choices=Ongoing.choices,
        initial=Ongoing.UNKNOWN,
        widget=forms.RadioSelect,
    )
    platforms = KnownMultipleChoiceField(
        label=_("Where did it happen?"),
        queryset=None,  # set per form from _choice_querysets (a class-level one would be copied for nothing)
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    links = LinksField(
        label=_("Links to the posts, chats or accounts"),
        help_text=_("One link per line. A link is the best evidence: we can ask for the content to be removed."),
        required=False,
    )
    description = forms.CharField(
        label=_("Tell us what happened"),
        help_text=_("Write as much or as little as you like. Who, what, when, and what you need from us."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_DESCRIPTION,
        required=False,
    )
    evidence = EvidenceField(label=_("Screenshots or PDF files"))
    age_band = FixedChoiceField(
        label=_("Age of the child or young person"), choices=AgeBand.choices, initial=AgeBand.UNKNOWN
    )
    gender = FixedChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    commune_unit = KnownChoiceField(
        label=_("Commune or ward"),
        queryset=None,  # set per form from _choice_querysets (a class-level one would be copied for nothing)
        to_field_name="code",
        required=False,
        empty_label=_("Prefer not to say / don't know"),
    )
    contact_preference = FixedChoiceField(
        label=_("How can we reach you?"),
        choices=ContactPreference.choices,
        initial=ContactPreference.NONE,
        widget=forms.RadioSelect,
    )
    contact_phone = PhoneNumberField(
        label=_("Phone number"),
        region="VN",
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"invalid": _("Enter a Vietnamese phone number, for example 0912 345 678.")},
    )
    contact_email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    # Consent, one box per purpose, never ticked in advance. Recorded as the consent of whoever the reporter said
    # they are (cases.consent.giver_for_role): a child cannot give a parent's consent by ticking a box; a parent's
    # consent counts once a counsellor has confirmed it on the phone or in the chat.
    consent_share_police = forms.BooleanField(
        label=_("I agree that the hotline may give my details to the police (Công an) if that is needed to help"),
        required=False,
    )
    consent_share_information = forms.BooleanField(
        label=_(
            "I agree that the hotline may give my details to the department in charge of online information, "
            "to get harmful content removed"
        ),
        required=False,
    )
    consent_keep_evidence = forms.BooleanField(
        label=_("I agree that the hotline keeps the files and links I send as evidence"), required=False
    )

    # Fields that collect personal data: each is shown with a link to the privacy notice.
    PERSONAL_FIELDS = (
        "description",
        "links",
        "evidence",
        "reporter_role",
        "age_band",
        "gender",
        "commune_unit",
        "contact_phone",
        "contact_email",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in _choice_querysets(timezone.localdate()).items():
            self.fields[name].queryset = queryset  # the field keeps a copy (QuerySet.all()), evaluated per form
        if self.is_bound:
            known = choosable()
            if known is not None:
                for name, rows in known.items():
                    if name in self.fields:
                        self.fields[name].known = rows
        count_limited(self.fields["description"], MAX_DESCRIPTION)
        for name in self.PERSONAL_FIELDS:
            if name in self.fields:
                self.fields[name].personal_data = True

    def consent_grants(self, *, channel=ConsentChannel.WEB_FORM):
        """The consents this report gives, as records to write with the case (cleaned data only)."""
        data = self.cleaned_data
        given_by = giver_for_role(data.get("reporter_role", ""))
        scopes = [
            scope
            for scope, field in (
                (ConsentScope.SHARE_POLICE, "consent_share_police"),
                (ConsentScope.SHARE_INFORMATION, "consent_share_information"),
                (ConsentScope.KEEP_EVIDENCE, "consent_keep_evidence"),
            )
            if data.get(field)
        ]
        # Choosing to be called or written to, and giving the number or address, is consent to be contacted.
        if data.get("contact_preference") in (ContactPreference.PHONE, ContactPreference.EMAIL):
            scopes.insert(0, ConsentScope.CONTACT)
        age_band = data.get("age_band") or AgeBand.UNKNOWN
        return [Grant(given_by=given_by, scope=scope, channel=channel, age_band=age_band) for scope in scopes]

    def clean_contact_phone(self):
        return check_vietnamese_phone(self.cleaned_data.get("contact_phone"))

    def clean(self):
        data = super().clean()
        if (
            not data.get("links")
            and not (data.get("description") or "").strip()
            and "links" not in self.errors
            and "description" not in self.errors
        ):
            self.add_error(
                "description",
                ValidationError(
                    _("Please give us a link or tell us in a few words what happened."),
                    code="link_or_description",
                ),
            )
        preference = data.get("contact_preference")
        if (
            preference == ContactPreference.PHONE
            and not data.get("contact_phone")
            and "contact_phone" not in self.errors
        ):
            self.add_error("contact_phone", ValidationError(_("Enter the number we should call."), code="required"))
        if (
            preference == ContactPreference.EMAIL
            and not data.get("contact_email")
            and "contact_email" not in self.errors
        ):
            self.add_error(
                "contact_email", ValidationError(_("Enter the address we should write to."), code="required")
            )
        return data
