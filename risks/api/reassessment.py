"""The annual re-assessment over the API: the round page's buttons as actions, with the page's rules.

open (POST to the list) → assess a risk (each risk of the register, with reasons and the version read) → decide (the
commission's decision, refused while risks are unscored) → locked. Each action calls the service the page calls and
checks the same named rule first, so a refused role gets 403 whatever it sent; a round outside the scope is 404.
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
from programs.models import Program
from risks.models import ConsequenceLevel, ProbabilityLevel, ReassessmentRound, Risk, RiskReassessment
from risks.permissions import may_decide_reassessment, may_keep_register, may_reassess_risks
from risks.reassessment import reassessment_round_decide, reassessment_round_open, risk_reassessment_record
from risks.residual_services import Axes


class RiskReassessmentSerializer(serializers.ModelSerializer):
    # Read from the program's matrix, never stored or typed.
    level = serializers.SerializerMethodField()

    class Meta:
        model = RiskReassessment
        fields = [
            "risk",
            "probability",
            "consequence",
            "level",
            "reasons",
            "previous_probability",
            "previous_consequence",
            "assessed_by",
            "assessed_at",
            "version",
        ]
        read_only_fields = fields

    def get_level(self, obj: RiskReassessment) -> str | None:
        axes = self.context.get("axes")
        level = axes.level(obj.probability, obj.consequence) if axes else None
        return level.code if level else None


class ReassessmentRoundListSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReassessmentRound
        fields = [
            "id",
            "program",
            "year",
            "status",
            "opened_by",
            "opened_at",
            "decision_date",
            "decision_number",
            "decision_text",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class ReassessmentRoundSerializer(ReassessmentRoundListSerializer):
    """One round with every risk's new score (the list leaves them out: one query per list, whatever its length)."""

    assessments = serializers.SerializerMethodField()

    class Meta(ReassessmentRoundListSerializer.Meta):
        fields = [*ReassessmentRoundListSerializer.Meta.fields, "assessments"]
        read_only_fields = fields

    @extend_schema(responses=RiskReassessmentSerializer(many=True))
    def get_assessments(self, obj: ReassessmentRound) -> list[dict]:
        context = {**self.context, "axes": Axes.of(obj.program.risk_matrix)}
        items = obj.assessments.select_related("probability", "consequence").order_by("risk__number")
        return RiskReassessmentSerializer(items, many=True, context=context).data


class RoundOpenSerializer(serializers.Serializer):
    program = ScopedPrimaryKeyField(Program)
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class AssessSerializer(serializers.Serializer):
    risk = ScopedPrimaryKeyField(Risk, help_text="A risk of the round's program.")
    probability = serializers.PrimaryKeyRelatedField(queryset=ProbabilityLevel.objects.all())
    consequence = serializers.PrimaryKeyRelatedField(queryset=ConsequenceLevel.objects.all())
    reasons = serializers.CharField(max_length=4000)
    version = serializers.IntegerField(
        min_value=0, help_text="The version of the risk's score in this round that was read; 0 when it had none."
    )


class DecideSerializer(serializers.Serializer):
    decision_date = serializers.DateField()
    decision_number = serializers.CharField(max_length=100)
    decision_text = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


ANSWERS = {200: ReassessmentRoundSerializer, **REFUSALS, 404: NOT_FOUND}


class ReassessmentRoundViewSet(ScopedReadOnlyViewSet):
    """Annual re-assessment rounds of the programs the user reads, latest year first."""

    queryset = ReassessmentRound.objects.select_related("program__risk_matrix")
    serializer_class = ReassessmentRoundSerializer
    filterset_fields = ["program", "year", "status"]
    ordering_fields = ["year"]

    def get_serializer_class(self):
        return ReassessmentRoundListSerializer if self.action == "list" else ReassessmentRoundSerializer

    def _round(self) -> ReassessmentRound:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(request=RoundOpenSerializer, responses={201: ReassessmentRoundSerializer, **REFUSALS})
    def create(self, request, *args, **kwargs):
        """Open the program's round of a year (the secretary); one open round per program."""
        payload = RoundOpenSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        program = payload.validated_data["program"]
        if not may_keep_register(request.user, program):
            raise PermissionDenied(_("Only the secretary who keeps the register opens a re-assessment round."))
        round_ = call_service(
            lambda: reassessment_round_open(user=request.user, program=program, year=payload.validated_data["year"])
        )
        return Response(self.read_back(round_), status=status.HTTP_201_CREATED)

    @extend_schema(request=AssessSerializer, responses=ANSWERS)
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        """Record or correct a risk's new score with its reasons (the working group: commission and secretary)."""
        round_ = self._round()
        if not may_reassess_risks(request.user, round_.program):
            raise PermissionDenied(_("Only the commission's working group and its secretary score the risks."))
        payload = AssessSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        call_service(lambda: risk_reassessment_record(user=request.user, round_=round_, **payload.validated_data))
        return Response(self.read_back(round_))

    @extend_schema(request=DecideSerializer, responses=ANSWERS)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Record the commission's decision: the new scores go to the register and its trail; the round locks."""
        round_ = self._round()
        if not may_decide_reassessment(request.user, round_.program):
            raise PermissionDenied(_("Only the commission and its secretary record the commission's decision."))
        payload = DecideSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        call_service(lambda: reassessment_round_decide(user=request.user, round_=round_, **payload.validated_data))
        return Response(self.read_back(round_))
