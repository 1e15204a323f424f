"""Risk matrices over the API, read-only: a client picks the program's matrix and the risk's levels by their ids
instead of guessing the ids of the presets. The matrices are reference data shared by every organisation."""

from __future__ import annotations

from django.db.models import Prefetch
from rest_framework import permissions, serializers, viewsets

from risks.models import ConsequenceLevel, MatrixCell, ProbabilityLevel, RiskLevel, RiskMatrix


class _Named(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="The name in the language of the request.")


class ProbabilityLevelSerializer(_Named):
    class Meta:
        model = ProbabilityLevel
        fields = ["id", "score", "name", "name_uk", "name_en", "name_ru", "description"]


class ConsequenceLevelSerializer(_Named):
    class Meta:
        model = ConsequenceLevel
        fields = ["id", "score", "name", "name_uk", "name_en", "name_ru", "description"]


class RiskLevelSerializer(_Named):
    class Meta:
        model = RiskLevel
        fields = ["id", "code", "rank", "colour", "name", "name_uk", "name_en", "name_ru"]


class MatrixCellSerializer(serializers.ModelSerializer):
    class Meta:
        model = MatrixCell
        fields = ["probability", "consequence", "level"]


class RiskMatrixSerializer(_Named):
    """A matrix with its rows (probability levels), columns (consequence levels), the levels a cell gives and the
    cells: a risk's `inherent_probability` and `inherent_consequence` name a row and a column of its program's
    matrix, and the cell gives its level."""

    probabilities = ProbabilityLevelSerializer(many=True, read_only=True)
    consequences = ConsequenceLevelSerializer(many=True, read_only=True)
    levels = RiskLevelSerializer(many=True, read_only=True)
    cells = MatrixCellSerializer(many=True, read_only=True)

    class Meta:
        model = RiskMatrix
        fields = [
            "id",
            "code",
            "methodology",
            "is_preset",
            "name",
            "name_uk",
            "name_en",
            "name_ru",
            "probabilities",
            "consequences",
            "levels",
            "cells",
        ]
        read_only_fields = fields


class RiskMatrixViewSet(viewsets.ReadOnlyModelViewSet):
    """Every signed-in user reads the matrices: they hold no organisation's data."""

    queryset = RiskMatrix.objects.prefetch_related(
        Prefetch("probabilities", queryset=ProbabilityLevel.objects.order_by("score")),
        Prefetch("consequences", queryset=ConsequenceLevel.objects.order_by("score")),
        Prefetch("levels", queryset=RiskLevel.objects.order_by("rank")),
        Prefetch("cells", queryset=MatrixCell.objects.order_by("probability__score", "consequence__score")),
    ).order_by("code")
    serializer_class = RiskMatrixSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["methodology", "is_preset", "code"]
