"""`POST /api/v1/programs/{id}/in-force/`: the API twin of the page that corrects a program's date of entry into
force (reports/execution/in_force.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import call_service
from core.api.viewsets import REFUSALS
from core.permissions import require_change
from programs.api.serializers import ProgramSerializer
from programs.selectors import program_get
from reports.execution.in_force import program_in_force_correct


class InForceSerializer(serializers.Serializer):
    in_force_on = serializers.DateField(help_text=_("The date the program came into force."))
    reason = serializers.CharField(max_length=5000, help_text=_("Why the date changes; kept in the history."))
    version = serializers.IntegerField(help_text=_("The program's version as read (optimistic locking)."))


CorrectionSerializer = inline_serializer(
    "InForceCorrection",
    {
        "program": ProgramSerializer(),
        "opened": serializers.ListField(child=serializers.CharField()),
        "removed": serializers.ListField(child=serializers.CharField()),
        "kept": serializers.ListField(child=serializers.CharField()),
    },
)


class ProgramInForceView(APIView):
    @extend_schema(request=InForceSerializer, responses={200: CorrectionSerializer, **REFUSALS})
    def post(self, request, pk: int):
        """Correct the date of entry into force: periods the new date brings in are opened, those it leaves out are
        removed unless they already hold records (then they are kept and listed)."""
        program = program_get(user=request.user, pk=pk)
        require_change(request.user, program)
        payload = InForceSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        correction = call_service(
            lambda: program_in_force_correct(
                program=program,
                user=request.user,
                in_force_on=data["in_force_on"],
                reason=data["reason"],
                expected_version=data["version"],
            )
        )
        program.refresh_from_db()
        return Response(
            {
                "program": ProgramSerializer(program, context={"request": request}).data,
                "opened": [str(period) for period in correction.opened],
                "removed": correction.removed,
                "kept": [str(period) for period in correction.kept],
            }
        )
