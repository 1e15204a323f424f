"""The pure risk-matrix arithmetic: each preset gives the level its methodology prescribes."""

import pytest

from risks.matrix import NAZK_2016, NAZK_2021, PRESETS, risk_level

# The levels written out by hand from each methodology, so that a typo in a preset cannot hide behind itself.
# fmt: off
EXPECTED = {
    "nazk-2016": {
        (1, 1): "low", (1, 2): "low", (1, 3): "medium",
        (2, 1): "low", (2, 2): "medium", (2, 3): "high",
        (3, 1): "high", (3, 2): "high", (3, 3): "high",
    },
    "nazk-2021": {
        (1, 1): "low", (1, 2): "low", (1, 3): "medium",
        (2, 1): "low", (2, 2): "medium", (2, 3): "high",
        (3, 1): "medium", (3, 2): "high", (3, 3): "high",
    },
}
# fmt: on
CELLS = [(code, cell, level) for code, cells in EXPECTED.items() for cell, level in cells.items()]


def preset(code: str):
    return next(spec for spec in PRESETS if spec.code == code)


def test_the_portal_ships_the_2016_and_2021_presets():
    assert [spec.code for spec in PRESETS] == ["nazk-2016", "nazk-2021"]


@pytest.mark.parametrize("code", EXPECTED)
def test_every_preset_scores_every_cell_of_a_three_by_three_matrix(code):
    spec = preset(code)

    assert set(spec.cells) == set(EXPECTED[code])
    assert [axis.score for axis in spec.probabilities] == [1, 2, 3]
    assert [axis.score for axis in spec.consequences] == [1, 2, 3]


@pytest.mark.parametrize(("code", "cell", "level"), CELLS, ids=[f"{c}-{p}x{q}" for c, (p, q), _ in CELLS])
def test_each_cell_of_a_preset_gives_the_level_of_its_methodology(code, cell, level):
    spec = preset(code)

    assert spec.level_of(*cell).code == level
    assert risk_level(spec.cells, spec.levels, *cell).code == level


def test_the_two_methodologies_disagree_on_a_highly_probable_risk_with_minor_consequences():
    assert NAZK_2016.level_of(3, 1).code == "high"
    assert NAZK_2021.level_of(3, 1).code == "medium"


@pytest.mark.parametrize(("probability", "consequence"), [(4, 1), (1, 4), (0, 2), (2, 0), (-1, -1)])
@pytest.mark.parametrize("spec", PRESETS, ids=lambda spec: spec.code)
def test_a_score_outside_the_matrix_is_an_error_not_a_guess(spec, probability, consequence):
    with pytest.raises(ValueError, match="No cell"):
        spec.level_of(probability, consequence)


def test_levels_are_ranked_low_medium_high_with_names_in_three_languages():
    for spec in PRESETS:
        assert [(level.code, level.rank) for level in spec.levels] == [("low", 1), ("medium", 2), ("high", 3)]
        assert spec.level_of(3, 3).names == {"uk": "Високий", "en": "High", "ru": "Высокий"}
