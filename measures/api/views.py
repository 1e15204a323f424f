from collections import Counter, defaultdict

from django.db.models import Count

from core.api.pagination import KeysFirstPagination, groups_of_page
from core.api.viewsets import (
    AttachOnReadMixin,
    ScopedWriteViewSet,
    ServiceCreateMixin,
    ServiceDestroyMixin,
    ServiceUpdateMixin,
    write_schema,
)
from measures.api.serializers import MeasureCreateSerializer, MeasureSerializer, MeasureUpdateSerializer
from measures.filtersets import MeasureFilterSet
from measures.models import Measure, MeasureUnit
from measures.services import measure_delete


def attach_related_ids(measures: list[Measure]) -> list[Measure]:
    """Each measure's responsible units' and risks' ids, in the units' and risks' own order (the order a prefetch of
    the objects gives), as `responsible_unit_ids` and `risk_ids`: two queries of id pairs, where two prefetches built
    a page's hundred units and risks with all their texts and a related manager per measure."""
    by_pk = {measure.pk: measure for measure in measures}
    for measure in measures:
        measure.responsible_unit_ids, measure.risk_ids = [], []
    # Ordering a link by its target orders it by the target model's own ordering.
    units = MeasureUnit.objects.filter(measure_id__in=by_pk).order_by("unit")
    for measure_id, unit_id in units.values_list("measure_id", "unit_id"):
        by_pk[measure_id].responsible_unit_ids.append(unit_id)
    risks = Measure.risks.through.objects.filter(measure_id__in=by_pk).order_by("risk")
    for measure_id, risk_id in risks.values_list("measure_id", "risk_id"):
        by_pk[measure_id].risk_ids.append(risk_id)
    return measures


@write_schema(MeasureSerializer, create=MeasureCreateSerializer, update=MeasureUpdateSerializer, destroy=True)
class MeasureViewSet(
    AttachOnReadMixin, ServiceCreateMixin, ServiceUpdateMixin, ServiceDestroyMixin, ScopedWriteViewSet
):
    queryset = Measure.objects.select_related("task__section__program").prefetch_related("responsible_units", "risks")
    serializer_class = MeasureSerializer
    create_serializer_class = MeasureCreateSerializer
    update_serializer_class = MeasureUpdateSerializer
    filterset_class = MeasureFilterSet
    ordering_fields = ["position", "number"]
    # A page of a program's thousands of measures is found on the numbers it is sorted by, then read whole.
    pagination_class = KeysFirstPagination
    attach_on_read = staticmethod(attach_related_ids)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action in ("list", "retrieve"):
            return queryset.prefetch_related(None)  # the units' and risks' ids are attached instead
        return queryset

    def page_keys(self, queryset, bottom: int, size: int) -> tuple[list, int] | None:
        """The page's keys task by task: how many measures each task lists (one grouped count, read from the index on
        the measures' task), then the keys of the one or two tasks' measures the page falls in, in the list's order.
        Sorting every listed measure to keep fifty read the whole table. Tasks of two programs with the same section
        and task numbers sort as equals, their measures interleaved (the list's order), so they are taken together.
        None where a client chose another order."""
        if queryset.query.order_by or not queryset.query.default_ordering:
            return None
        tasks_of: dict[tuple[int, int], list[int]] = defaultdict(list)
        listed_of: Counter[tuple[int, int]] = Counter()
        counted = queryset.order_by().values_list("task_id", "task__section__number", "task__number")
        for task, section_number, task_number, listed in counted.annotate(listed=Count("*")):
            tasks_of[section_number, task_number].append(task)
            listed_of[section_number, task_number] += listed
        in_order = ((numbers, listed_of[numbers]) for numbers in sorted(listed_of))
        touched, offset, length = groups_of_page(in_order, bottom, size)
        if not touched:
            return [], length
        rows = queryset.filter(task_id__in=[task for numbers in touched for task in tasks_of[numbers]])
        return list(rows.values_list("pk", flat=True)[offset : offset + size]), length

    def perform_destroy(self, instance: Measure) -> None:
        measure_delete(measure=instance, user=self.request.user)
