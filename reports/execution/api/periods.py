"""The review of a reporting period over the API: the review page's buttons as actions, with the page's rules.

open early → send for review → evaluations and the conclusion → approve by a meeting decision (a reason when the
report has gaps) → reopen with a reason. Each action calls the service the page calls and checks the same role first,
so a refused role gets 403 whatever it sent; a period outside the user's scope is 404.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from core.api.errors import call_service
from core.api.fields import ScopedPrimaryKeyField
from core.api.viewsets import NOT_FOUND, REFUSALS, ScopedReadOnlyViewSet
from programs.models import AgendaItem
from reports.choices import Grade
from reports.execution.api.serializers import EvidenceSerializer, ReportingPeriodSerializer
from reports.execution.automation import period_open_early
from reports.execution.models import Evaluation, Evidence, ExecutionEntry
from reports.execution.period_services import (
    approval_decisions,
    period_approve,
    period_conclusion_save,
    period_reopen,
    period_send_for_review,
)
from reports.execution.services import evaluation_save, evidence_move
from reports.permissions import may_evaluate_period, require_keep_period

ACTION_ANSWERS = {200: ReportingPeriodSerializer, **REFUSALS, 404: NOT_FOUND}


class ConclusionSerializer(serializers.Serializer):
    conclusion = serializers.CharField(help_text="The commission's overall conclusion on the period.")


class ApprovalSerializer(serializers.Serializer):
    decision = serializers.PrimaryKeyRelatedField(
        queryset=AgendaItem.objects.none(),
        help_text="An agenda item of a commission meeting that decided to approve this period's report "
        "(decision kind approve_period_report naming the period).",
    )
    incomplete_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Needed only while the report has gaps (see the completeness action); stated in the report.",
    )

    def __init__(self, *args, period=None, **kwargs):
        super().__init__(*args, **kwargs)
        if period is not None:
            self.fields["decision"].queryset = approval_decisions(period=period)


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the period is reopened; kept in its history.")


class PeriodReviewActions:
    """Mixed into the reporting-period viewset: the review page's state changes."""

    def _period(self):
        # The role rules are the page's (below), not the viewset's change rule: commission members, who may not
        # change a period's settings, still record its approval.
        return get_object_or_404(self.get_queryset().select_related("program"), pk=self.kwargs["pk"])

    def _answer(self, period) -> Response:
        return Response(self.read_back(period))

    @extend_schema(request=None, responses=ACTION_ANSWERS)
    @action(detail=True, methods=["post"], url_path="open-early")
    def open_early(self, request, pk=None):
        """Open the quarter to units before its first day (the secretary)."""
        period = self._period()
        call_service(lambda: period_open_early(user=request.user, period=period))
        return self._answer(period)

    @extend_schema(request=None, responses=ACTION_ANSWERS)
    @action(detail=True, methods=["post"], url_path="send-for-review")
    def send_for_review(self, request, pk=None):
        """Units stop writing; the commission evaluates what was reported (the secretary)."""
        period = self._period()
        call_service(lambda: period_send_for_review(user=request.user, period=period))
        return self._answer(period)

    @extend_schema(request=ConclusionSerializer, responses=ACTION_ANSWERS)
    @action(detail=True, methods=["post"])
    def conclusion(self, request, pk=None):
        """The commission's overall conclusion (commission members and the secretary)."""
        period = self._period()
        if not may_evaluate_period(request.user, period):
            raise PermissionDenied(_("Only commission members and the secretary write the conclusion."))
        payload = ConclusionSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        text = payload.validated_data["conclusion"]
        call_service(lambda: period_conclusion_save(user=request.user, period=period, conclusion=text))
        return self._answer(period)

    @extend_schema(request=ApprovalSerializer, responses=ACTION_ANSWERS)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Record the commission's decision approving the report; the period is locked from then on."""
        period = self._period()
        if not may_evaluate_period(request.user, period):
            raise PermissionDenied(_("Only commission members and the secretary record the commission's approval."))
        payload = ApprovalSerializer(data=request.data, period=period, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        call_service(lambda: period_approve(user=request.user, period=period, **payload.validated_data))
        return self._answer(period)

    @extend_schema(request=ReopenSerializer, responses=ACTION_ANSWERS)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Open a reviewed or approved period again for corrections, with the reason (the secretary)."""
        period = self._period()
        require_keep_period(request.user, period)
        payload = ReopenSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        reason = payload.validated_data["reason"]
        call_service(lambda: period_reopen(user=request.user, period=period, reason=reason))
        return self._answer(period)


# --- evaluations ------------------------------------------------------------------------------------------------


class EvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = [
            "id",
            "entry",
            "timeliness",
            "completeness",
            "effectiveness",
            "comment",
            "evaluated_by",
            "evaluated_at",
        ]
        read_only_fields = fields


class EvaluationWriteSerializer(serializers.Serializer):
    """The commission's grades of one entry; sending them again for the same entry changes its evaluation."""

    entry = ScopedPrimaryKeyField(ExecutionEntry, help_text="The execution entry evaluated.")
    timeliness = serializers.ChoiceField(choices=Grade.choices)
    completeness = serializers.ChoiceField(choices=Grade.choices)
    effectiveness = serializers.ChoiceField(choices=Grade.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluationViewSet(ScopedReadOnlyViewSet):
    """Evaluations of the entries in scope; POST evaluates an entry as the review page does."""

    queryset = Evaluation.objects.select_related("entry", "evaluated_by").order_by(
        "entry__period", "entry__measure", "pk"
    )
    serializer_class = EvaluationSerializer
    filterset_fields = ["entry", "entry__period"]
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(
        request=EvaluationWriteSerializer, responses={200: EvaluationSerializer, 201: EvaluationSerializer, **REFUSALS}
    )
    def create(self, request, *args, **kwargs):
        payload = EvaluationWriteSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        entry = data.pop("entry")
        existed = Evaluation.objects.filter(entry=entry).exists()
        saved = call_service(lambda: evaluation_save(user=request.user, entry=entry, **data))
        return Response(self.read_back(saved), status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


# --- the order of an entry's evidence ----------------------------------------------------------------------------


class EvidenceItemSerializer(EvidenceSerializer):
    class Meta(EvidenceSerializer.Meta):
        fields = ["id", "entry", *EvidenceSerializer.Meta.fields[1:]]


class EvidenceMoveSerializer(serializers.Serializer):
    position = serializers.IntegerField(
        min_value=1, max_value=1000, help_text="The place the document takes among the entry's documents (1 = first)."
    )


class EvidenceViewSet(ScopedReadOnlyViewSet):
    """The documents proving the entries in scope, in their order; `move` changes the order, as the report lists
    them."""

    queryset = Evidence.objects.select_related("entry")
    serializer_class = EvidenceItemSerializer
    filterset_fields = ["entry", "kind"]
    ordering_fields = ["position"]

    @extend_schema(
        request=EvidenceMoveSerializer, responses={200: EvidenceItemSerializer(many=True), **REFUSALS, 404: NOT_FOUND}
    )
    @action(detail=True, methods=["post"], pagination_class=None)  # answers the whole list, never a page of it
    def move(self, request, pk=None):
        """Move the document to another place among its entry's documents; the others shift (unit reporters of the
        measure and the secretary, while the period is open to them)."""
        item = self.get_object()  # the change rule first: a reader is refused whatever they sent
        payload = EvidenceMoveSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        position = payload.validated_data["position"]
        items = call_service(lambda: evidence_move(user=request.user, evidence=item, position=position))
        return Response(self.serializer_class(items, many=True, context=self.get_serializer_context()).data)
