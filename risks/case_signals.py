"""Signals of corruption from whistleblower cases, as the register may show them: counts, never content or identity.

The officer tags a case (function or process, an existing risk or a proposed new one); everyone else reads how many
cases touched a risk in a chosen time. A count below SIGNAL_THRESHOLD could point at a person, so to anyone but the
officer it is "fewer than 3" — and the number itself never leaves this module for them (SignalCount.shown is None).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Program
from risks.choices import Function
from risks.models import Risk, RiskSignal

SIGNAL_THRESHOLD = 3
DEFAULT_WINDOW_DAYS = 365


@dataclass(frozen=True)
class SignalCount:
    """A count as one reader may see it: the number, or None for "fewer than SIGNAL_THRESHOLD"."""

    shown: int | None

    @property
    def is_masked(self) -> bool:
        return self.shown is None

    def __str__(self) -> str:
        if self.shown is None:
            return _("fewer than %(threshold)s") % {"threshold": SIGNAL_THRESHOLD}
        return str(self.shown)


@dataclass(frozen=True)
class SignalWindow:
    """The days whose cases are counted, both ends included."""

    since: date
    until: date

    @classmethod
    def default(cls, today: date | None = None) -> SignalWindow:
        today = today or timezone.localdate()
        return cls(since=today - timedelta(days=DEFAULT_WINDOW_DAYS), until=today)


def count_for(value: int, *, exact: bool) -> SignalCount:
    return SignalCount(value if exact or value >= SIGNAL_THRESHOLD else None)


def _signals(organisation_id: int, window: SignalWindow):
    # Unscoped on purpose: the rows stay here and only counts leave, masked for the reader.
    return RiskSignal.objects.filter(
        organisation_id=organisation_id, received_on__gte=window.since, received_on__lte=window.until
    )


def signal_counts_by_risk(*, program: Program, window: SignalWindow, exact: bool) -> dict[int, SignalCount]:
    """Per risk of the program, how many cases touched it in the window (every risk, counted or not)."""
    counted = dict(
        _signals(program.organisation_id, window)
        .filter(risk__program=program)
        .values_list("risk_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    risk_ids = Risk.objects.filter(program=program).values_list("pk", flat=True)
    return {risk_id: count_for(counted.get(risk_id, 0), exact=exact) for risk_id in risk_ids}


def signal_counts_by_cell(
    *, program: Program, window: SignalWindow, exact: bool, kind: str
) -> dict[tuple[int | None, int | None], SignalCount]:
    """Signals summed per heat-map cell ((probability id, consequence id) of the `kind` score), masked per cell."""
    rows = (
        _signals(program.organisation_id, window)
        .filter(risk__program=program)
        .values_list(f"risk__{kind}_probability", f"risk__{kind}_consequence")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return {(probability, consequence): count_for(total, exact=exact) for probability, consequence, total in rows}


@dataclass(frozen=True)
class UnregisteredSignal:
    function: str
    function_label: str
    proposed_risk: str
    count: SignalCount


def unregistered_signals(*, organisation_id: int, window: SignalWindow, exact: bool) -> list[UnregisteredSignal]:
    """Risks the officer proposed from cases that the register does not hold, with how many cases named each."""
    rows = (
        _signals(organisation_id, window)
        .filter(risk__isnull=True)
        .exclude(proposed_risk="")
        .values_list("function", "proposed_risk")
        .annotate(total=Count("pk"))
        .order_by("function", "proposed_risk")
    )
    labels = dict(Function.choices)
    return [
        UnregisteredSignal(function, str(labels.get(function, function)), proposed, count_for(total, exact=exact))
        for function, proposed, total in rows
    ]


def signals_by_function(
    *, organisation_id: int, window: SignalWindow, exact: bool
) -> list[tuple[str, str, SignalCount]]:
    """(function, its name, how many cases concerned it in the window), every function listed, for the dashboard."""
    counted = dict(_signals(organisation_id, window).values_list("function").annotate(total=Count("pk")).order_by())
    return [(value, str(label), count_for(counted.get(value, 0), exact=exact)) for value, label in Function.choices]


@transaction.atomic
def case_signal_save(*, report, function: str, process: str, risk: Risk | None, proposed_risk: str) -> RiskSignal:
    """Tag a case (or retag it): what it signals about the register, nothing of what it says."""
    proposed_risk = proposed_risk.strip()
    if risk is not None and risk.program.organisation_id != report.organisation_id:
        raise ValidationError(_("Choose a risk of this body's register."))
    if risk is not None and proposed_risk:
        raise ValidationError(_("Either choose a risk of the register or propose a new one, not both."))
    signal, _created = RiskSignal.objects.update_or_create(
        report=report,
        defaults={
            "organisation_id": report.organisation_id,
            "received_on": timezone.localdate(report.received_at),
            "function": function,
            "process": process.strip(),
            "risk": risk,
            "proposed_risk": proposed_risk,
        },
    )
    return signal


def case_signal_get(*, report) -> RiskSignal | None:
    return RiskSignal.objects.filter(report=report).select_related("risk").first()
