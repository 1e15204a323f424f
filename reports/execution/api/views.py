"""Execution entries over the API: the same services and the same scoping as the HTML pages."""

from django.db.models import Case, Count, IntegerField, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.access import Action
from core.api.errors import AlreadyExists, Conflict, call_service
from core.api.pagination import KeysFirstPagination, groups_of_page
from core.api.viewsets import AttachOnReadMixin, ScopedPermission, ScopedReadOnlyViewSet
from measures.selectors import measure_list
from reports.execution.api.periods import PeriodReviewActions
from reports.execution.api.serializers import (
    EvidenceSerializer,
    EvidenceWriteSerializer,
    ExecutionEntryPatchSerializer,
    ExecutionEntrySerializer,
    ExecutionEntrySubmitSerializer,
    ExecutionEntryWriteSerializer,
    PeriodGapsSerializer,
    ReportingPeriodSerializer,
)
from reports.execution.filtersets import ExecutionEntryFilterSet
from reports.execution.grid import entry_queryset, period_gaps, period_grid
from reports.execution.models import Evidence, ReportingPeriod, attach_documents
from reports.execution.services import entry_save, entry_submit, evidence_add, evidence_delete


class ReportingPeriodViewSet(PeriodReviewActions, ScopedReadOnlyViewSet):
    queryset = ReportingPeriod.objects.select_related("program")
    serializer_class = ReportingPeriodSerializer
    filterset_fields = ["program", "kind", "year", "state"]

    @extend_schema(responses=PeriodGapsSerializer)
    @action(detail=True, methods=["get"])
    def completeness(self, request, pk=None):
        """What the report lacks: due entries not submitted (by unit), entries not evaluated, partly done or not done
        entries without reasons and next steps. Approving a report with gaps needs a recorded reason."""
        period = self.get_object()
        gaps = period_gaps(period_grid(user=request.user, period=period))
        return Response(PeriodGapsSerializer(PeriodGapsSerializer.from_gaps(gaps)).data)


ENTRY_ORDER = ("period", "measure")
# Above this many periods in scope (a superuser's whole portal) the period's place as a number costs more than it
# saves; the keys are sorted on the periods' own columns.
RANKED_PERIODS_MAX = 200


def period_places(user) -> list[tuple[int, int]]:
    """(period id, place) for the periods `user` sees, in their list order; periods the order cannot tell apart (two
    programs of the same title and years) share a place, so their entries interleave as they did. A period's rule is
    its entries' rule without the reporter's narrowing to units, so every listed entry's period has a place."""
    columns = ("program__start_year", "program__title", "year", "kind", "number")
    rows = ReportingPeriod.objects.restrict(user, Action.VIEW).order_by(*ReportingPeriod._meta.ordering)
    places, place, previous = [], 0, None
    for pk, *key in rows.values_list("pk", *columns)[: RANKED_PERIODS_MAX + 1]:
        place += key != previous
        places.append((pk, place))
        previous = key
    return places


class ExecutionEntryViewSet(
    AttachOnReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Read entries in scope; create and change them through the services (locked periods refuse, 403)."""

    serializer_class = ExecutionEntrySerializer
    permission_classes = [ScopedPermission]
    filterset_class = ExecutionEntryFilterSet
    pagination_class = KeysFirstPagination
    attach_on_read = staticmethod(attach_documents)
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        queryset = entry_queryset(user=self.request.user).order_by(*ENTRY_ORDER)
        if self.action in ("list", "retrieve"):
            # An entry reads its measure, period and users as ids: the joined rows (a program's, a measure's texts)
            # were fetched and built into objects for every entry of a page, and never printed. Its documents are
            # attached as a plain list to the page's entries or the one entry read (`attach_on_read`).
            return queryset.select_related(None).prefetch_related(None)
        return queryset

    def _period_places(self) -> list[tuple[int, int]]:
        if not hasattr(self, "_places"):
            self._places = period_places(self.request.user)
        return self._places

    def page_keys(self, queryset, bottom: int, size: int) -> tuple[list, int] | None:
        """The page's keys period by period: how many entries each period lists (one grouped count on the periods'
        index), then the page's keys from the one or two periods it falls in, in their measures' places (the index
        on period and place). Sorting every listed entry to keep fifty was most of the list's SQL. None where the
        periods' places do not order the entries alone (twin programs, a superuser's whole portal)."""
        if tuple(queryset.query.order_by) != ENTRY_ORDER:
            return None
        places = self._period_places()
        if not places or len(places) > RANKED_PERIODS_MAX or len({n for _pk, n in places}) < len(places):
            return None
        place = dict(places)
        # COUNT(*), not COUNT(id): with no column to read, PostgreSQL counts on the period index alone (an index-only
        # scan on a vacuumed table) instead of reading every entry's row.
        counts = dict(
            queryset.order_by().values("period_id").annotate(listed=Count("*")).values_list("period_id", "listed")
        )
        if not counts.keys() <= place.keys():
            return None
        in_order = sorted(counts, key=place.__getitem__)
        touched, offset, start = groups_of_page(((period, counts[period]) for period in in_order), bottom, size)
        if not touched:
            return [], start
        rows = queryset.filter(period_id__in=touched)
        if len(touched) == 1:
            rows = rows.order_by("measure_place", "measure_id")
        else:
            rank = Case(
                *[When(period_id=pk, then=Value(n)) for n, pk in enumerate(touched)], output_field=IntegerField()
            )
            rows = rows.order_by(rank.asc(), "measure_place", "measure_id")
        return list(rows.values_list("pk", flat=True)[offset : offset + size]), start

    def page_key_order(self, queryset) -> list | None:
        """The list's order with each period's place as a number in place of the program's title, start year and
        the period's kind, year and number, and each measure's stored place in its program in place of its section,
        task, position and number: at 6,000 entries, sorting on those texts and joins cost more than the page."""
        if tuple(queryset.query.order_by) != ENTRY_ORDER:
            return None  # the client chose another order
        places = self._period_places()
        if not places or len(places) > RANKED_PERIODS_MAX:
            return None
        place = Case(
            *[When(period_id=pk, then=Value(n)) for pk, n in places],
            default=Value(len(places) + 1),
            output_field=IntegerField(),
        )
        if len({n for _pk, n in places}) < len(places):
            # Periods that share a place (two programs of the same title and years) interleave their entries in
            # the measures' order across both programs, which places within each program do not give.
            return [place.asc(), "measure"]
        return [place.asc(), "measure_place", "measure_id"]

    def _already_exists(self, *, measure, period) -> AlreadyExists | None:
        existing = self.get_queryset().filter(measure=measure, period=period).first()
        if existing is None:
            return None
        url = reverse("execution-entry-detail", args=[existing.pk])
        return AlreadyExists(
            _(
                "An entry for this measure and period already exists (no. %(id)s). Change it with PATCH %(url)s, "
                "sending the version you read."
            )
            % {"id": existing.pk, "url": url},
            existing={"id": existing.pk, "url": url},
        )

    def _write(self, request, entry=None):
        payload = (ExecutionEntryWriteSerializer if entry is None else ExecutionEntryPatchSerializer)(
            data=request.data, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        if entry is None:
            data = payload.validated_data
            # Ids in a body that name nothing in scope are field errors (400), as in every other create.
            period = ReportingPeriod.objects.restrict(request.user, Action.VIEW).filter(pk=data["period"]).first()
            if period is None:
                raise ApiValidationError({"period": [ErrorDetail(_("No such period."), code="does_not_exist")]})
            measure = measure_list(user=request.user, program=period.program).filter(pk=data["measure"]).first()
            if measure is None:
                raise ApiValidationError({"measure": [ErrorDetail(_("No such measure."), code="does_not_exist")]})
            # A create of an entry that exists would otherwise reach the optimistic lock and read "someone else
            # saved the page, reload": for a client the answer is "it exists, PATCH it".
            exists = self._already_exists(measure=measure, period=period)
            if exists is not None:
                raise exists
        else:
            period, measure = entry.period, entry.measure
        try:
            saved = call_service(
                lambda: entry_save(
                    user=request.user,
                    measure=measure,
                    period=period,
                    changes=payload.changes(),
                    expected_version=payload.validated_data["version"],
                )
            )
        except Conflict:
            exists = self._already_exists(measure=measure, period=period) if entry is None else None
            if exists is not None:  # another client created it between our check and our insert
                raise exists from None
            raise
        return self.get_queryset().get(pk=saved.pk)

    @extend_schema(request=ExecutionEntryWriteSerializer)
    def create(self, request, *args, **kwargs):
        entry = self._write(request)
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ExecutionEntryPatchSerializer)
    def update(self, request, *args, **kwargs):
        entry = self.get_object()
        return Response(self.get_serializer(self._write(request, entry)).data)

    @extend_schema(request=ExecutionEntryPatchSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    @extend_schema(request=ExecutionEntrySubmitSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        entry = self.get_object()
        payload = ExecutionEntrySubmitSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        version = payload.validated_data.get("version", entry.version)
        call_service(lambda: entry_submit(user=request.user, entry=entry, expected_version=version))
        return Response(self.get_serializer(self.get_queryset().get(pk=entry.pk)).data)

    @extend_schema(request=EvidenceWriteSerializer, responses={201: EvidenceSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def evidence(self, request, pk=None):
        """Attach a document or a file to the entry, as the entry page does (the period must be open to you)."""
        entry = self.get_object()
        payload = EvidenceWriteSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        upload = data.pop("file", None)
        item = call_service(lambda: evidence_add(user=request.user, entry=entry, data=data, upload=upload))
        return Response(EvidenceSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"evidence/(?P<evidence_pk>[0-9]+)")
    def remove_evidence(self, request, pk=None, evidence_pk=None):
        """Remove a document or file from the entry, as the entry page does."""
        entry = self.get_object()
        item = get_object_or_404(Evidence.objects.filter(entry=entry), pk=evidence_pk)
        call_service(lambda: evidence_delete(user=request.user, evidence=item))
        return Response(status=status.HTTP_204_NO_CONTENT)
