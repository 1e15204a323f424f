from django.core.validators import RegexValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from core.api.fields import StrictCharField, StrictIntegerField
from core.api.reading import ReadPlanMixin
from reports.choices import EvidenceKind, ExecutionStatus
from reports.execution.evidence import evidence_problems, phrases_once
from reports.execution.models import Evidence, ExecutionEntry, ReportingPeriod


class ReportingPeriodSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="__str__", read_only=True)
    starts_on = serializers.DateField(read_only=True)
    ends_on = serializers.DateField(read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "program",
            "kind",
            "year",
            "number",
            "label",
            "starts_on",
            "ends_on",
            "submission_due",
            "state",
            "conclusion",
            "approval_decision",
            "approved_at",
            "approved_with_gaps",
            "opened_early_on",
        ]


class UnitGapSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    abbreviation = serializers.CharField()
    measures = serializers.ListField(child=serializers.IntegerField(), help_text=_("Due measures not submitted."))


class PeriodGapsSerializer(serializers.Serializer):
    """What a period's report still lacks before the commission approves it."""

    complete = serializers.BooleanField()
    summary = serializers.ListField(child=serializers.CharField(), help_text=_("The gaps as sentences."))
    unsubmitted = UnitGapSerializer(many=True)
    not_evaluated = serializers.ListField(child=serializers.IntegerField(), help_text=_("Entries not evaluated."))
    without_reasons = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Partly done or not done entries without reasons or next steps.")
    )

    @staticmethod
    def from_gaps(gaps) -> dict:
        return {
            "complete": not gaps,
            "summary": gaps.sentences(),
            "unsubmitted": [
                {"unit": unit.pk, "abbreviation": unit.abbreviation, "measures": [row.measure.pk for row in rows]}
                for unit, rows in gaps.unsubmitted
            ],
            "not_evaluated": [row.entry.pk for row in gaps.not_evaluated],
            "without_reasons": [row.entry.pk for row in gaps.without_reasons],
        }


WEB_ADDRESS = r"^https?://[\x21-\x7e]+$"


@extend_schema_field({"type": "string", "maxLength": 1000, "pattern": WEB_ADDRESS})
class WebAddressField(serializers.CharField):
    """An http(s) address in the characters an address may hold (a Cyrillic domain or path percent-encoded, as a
    browser's address bar copies it), or empty where blank is allowed (DRF accepts "" before any validator).
    Exactly the documented pattern: the OpenAPI `uri` format refused addresses Django's URL check accepted, so a
    client could not know which to send."""

    default_error_messages = {
        "address": _(
            "Enter an http:// or https:// address without spaces or non-Latin letters (copy it from the "
            "browser's address bar)."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)
        self.validators.append(RegexValidator(WEB_ADDRESS, message=self.error_messages["address"], code="invalid"))


class MethodTextField(serializers.CharField):
    """Read-only text that a method of the object writes (`sentence`, `phrase`), called directly: DRF's own lookup
    inspects the method's signature for every object of a page before calling it."""

    def __init__(self, **kwargs) -> None:
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance) -> str:
        return getattr(instance, self.source)()


class EvidenceSerializer(ReadPlanMixin, serializers.ModelSerializer):
    phrase = MethodTextField()
    url = serializers.CharField(
        read_only=True, help_text=_("The address as stored; pages may have saved one with non-Latin letters.")
    )
    file = serializers.SerializerMethodField(help_text=_("Where an uploaded file is downloaded, for those who see it."))

    class Meta:
        model = Evidence
        fields = ["id", "position", "kind", "issuer", "number", "issued_on", "title", "url", "phrase", "file"]

    def get_file(self, item: Evidence) -> str | None:
        return reverse("reports:evidence-file", args=[item.pk]) if item.file else None


class EvidenceWriteSerializer(serializers.Serializer):
    """A document proving the entry (a letter, an order, a protocol …) or an uploaded file; sent as multipart with
    a file, as JSON without one. The service checks what each kind needs."""

    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    issuer = serializers.CharField(required=False, allow_blank=True, max_length=200)
    number = serializers.CharField(required=False, allow_blank=True, max_length=100)
    issued_on = serializers.DateField(required=False, allow_null=True)
    title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    url = WebAddressField(required=False, allow_blank=True)
    file = serializers.FileField(required=False, allow_null=True)

    def validate(self, attrs):
        # The same check as the entry page's form: what the report needs to cite a document of this kind.
        problems = evidence_problems(
            kind=attrs.get("kind", ""),
            issuer=attrs.get("issuer") or "",
            number=attrs.get("number") or "",
            issued_on=attrs.get("issued_on"),
            url=attrs.get("url") or "",
            has_file=bool(attrs.get("file")),
            today=timezone.localdate(),
        )
        if problems:
            # Rules of a document's kind, not of a field's type: coded as the services' refusals are.
            raise serializers.ValidationError(
                {field: [ErrorDetail(message, code="rule")] for field, message in problems.items()}
            )
        return attrs


class ExecutionEntryListSerializer(serializers.ListSerializer):
    """A page of entries, each document's phrase built once for its entry's sentence and its own `phrase`."""

    def to_representation(self, data):
        with phrases_once():
            return super().to_representation(data)


class ExecutionEntrySerializer(ReadPlanMixin, serializers.ModelSerializer):
    """An entry as the grid and the PDF show it, with the same sentence."""

    sentence = MethodTextField()
    evidence = EvidenceSerializer(many=True, read_only=True, source="documents")

    class Meta:
        model = ExecutionEntry
        list_serializer_class = ExecutionEntryListSerializer
        fields = [
            "id",
            "measure",
            "period",
            "status",
            "narrative",
            "participants",
            "non_execution_reasons",
            "next_steps",
            "state",
            "submitted_by",
            "submitted_at",
            "version",
            "sentence",
            "evidence",
        ]
        read_only_fields = fields


class ExecutionEntryPatchSerializer(serializers.Serializer):
    """What a client may change in an entry; `version` is the one it read, so a stale write is refused with 409."""

    version = StrictIntegerField(
        min_value=0,
        max_value=2**31 - 1,
        help_text=_("The version you read; if someone saved the entry since, the change is refused (409)."),
    )
    status = serializers.ChoiceField(choices=ExecutionStatus.choices, required=False)
    narrative = StrictCharField(required=False, allow_blank=True)
    participants = StrictIntegerField(required=False, allow_null=True, min_value=0, max_value=2**31 - 1)
    non_execution_reasons = StrictCharField(required=False, allow_blank=True)
    next_steps = StrictCharField(required=False, allow_blank=True)

    def changes(self) -> dict:
        skip = {"measure", "period", "version"}
        return {name: value for name, value in self.validated_data.items() if name not in skip}


class ExecutionEntryWriteSerializer(ExecutionEntryPatchSerializer):
    """A new entry: the measure and the period it reports on, and `version` 0. An entry that exists is a 409 that
    names it; change it with a PATCH."""

    measure = StrictIntegerField(min_value=1, max_value=2**31 - 1)
    period = StrictIntegerField(min_value=1, max_value=2**31 - 1)


class ExecutionEntrySubmitSerializer(serializers.Serializer):
    """Hand the entry to the secretary; `version` is the one read (the stored one if omitted)."""

    version = StrictIntegerField(required=False, min_value=0, max_value=2**31 - 1)
