"""Presets (world/presets.py): every preset names real parameters with allowed values and
has a note; ``default`` is the calibrated best member the package ships, and a missing or
unreadable calibrated default is an error, never a silent fallback to the table's defaults."""

import json

import pytest

from jevons_compute.world import presets
from jevons_compute.world.parameters import BY_NAME
from jevons_compute.world.presets import PRESET_NOTES, PRESETS


def test_every_preset_names_real_parameters_with_allowed_values_and_has_a_note():
    assert {"default", "no_shock", "strict_export_controls", "inelastic_demand"} <= set(PRESETS)
    assert {"hardware_only", "power_bound"} <= set(PRESETS)
    for name, overrides in PRESETS.items():
        assert PRESET_NOTES[name] and len(PRESET_NOTES[name]) <= 100
        for key, value in overrides.items():
            assert key in BY_NAME, f"preset {name} sets unknown parameter {key}"
            assert BY_NAME[key].coerce(value) == value


def test_a_written_calibrated_default_becomes_the_default_preset(tmp_path):
    shipped = json.loads(presets.CALIBRATED_DEFAULT.read_text())["parameters"]
    assert shipped and PRESETS["default"] == presets.calibrated_default() == shipped
    path = tmp_path / "calibrated_default.json"
    path.write_text(json.dumps({"parameters": {"bass_q": 0.5}, "quick": False}))
    assert presets.calibrated_default(path) == {"bass_q": 0.5}
    with pytest.raises(presets.CalibrationFileError, match="is missing: reinstall"):
        presets.calibrated_default(tmp_path / "missing.json")
    for damaged in ("{not json", '{"quick": false}'):
        path.write_text(damaged)
        with pytest.raises(presets.CalibrationFileError, match="cannot be read"):
            presets.calibrated_default(path)
