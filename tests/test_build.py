"""``python -m geo build``: regenerates layers, detects stale files, reports bad recipes clearly."""

import errno
import json
import subprocess
import sys
from pathlib import Path

from geo.__main__ import main
from geo.build import build_layers, render
from tests.browser import ROOT
from tests.conftest import DATA, read_json


def geo(*args):
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_committed_layers_are_what_the_build_makes():
    for layer_id, collection in build_layers(DATA).items():
        assert (DATA / "layers" / f"{layer_id}.geojson").read_text(encoding="utf-8") == render(collection)


def test_check_passes_on_committed_data():
    result = geo("build", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_names_a_stale_file_and_build_repairs_it(data_copy):
    path = data_copy / "layers" / "drills.geojson"
    path.write_text(path.read_text().replace('"area_km2"', '"area_km2_old"'))
    stale = geo("--data", str(data_copy), "build", "--check")
    assert stale.returncode == 1
    assert stale.stdout.strip() == f"{path}: stale: run `python -m geo build` and commit the result"
    assert geo("--data", str(data_copy), "build").returncode == 0
    assert geo("--data", str(data_copy), "build", "--check").returncode == 0


def test_check_says_a_layer_path_is_a_folder_not_stale(data_copy):
    path = data_copy / "layers" / "drills.geojson"
    path.unlink()
    path.mkdir()
    result = geo("--data", str(data_copy), "build", "--check")
    assert result.returncode == 1
    assert result.stdout == f"{path}: is a folder, not a file: remove it, then run `python -m geo build`\n"
    assert "Traceback" not in result.stderr


def test_build_names_a_layer_path_that_is_a_folder(data_copy):
    path = data_copy / "layers" / "drills.geojson"
    path.unlink()
    path.mkdir()
    result = geo("--data", str(data_copy), "build")
    assert result.returncode == 1
    assert result.stderr == f"error: {path}: Is a directory\n"


def test_check_names_an_unreadable_layer_file(data_copy, monkeypatch, capsys):
    # Tests run as root, for whom chmod 000 does not block reading: the read itself is made to fail
    # as it does for another user, with the same PermissionError the operating system raises.
    path = data_copy / "layers" / "drills.geojson"
    open_path = Path.open

    def refuse(self, *args, **kwargs):
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return open_path(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    assert main(["--data", str(data_copy), "build", "--check"]) == 1
    assert capsys.readouterr().out == f"{path}: cannot read the file: Permission denied\n"


def test_check_calls_a_missing_layer_file_stale(data_copy):
    path = data_copy / "layers" / "drills.geojson"
    path.unlink()
    result = geo("--data", str(data_copy), "build", "--check")
    assert result.returncode == 1
    assert result.stdout == f"{path}: stale: run `python -m geo build` and commit the result\n"


def test_a_new_claim_needs_no_code(data_copy):
    claims = read_json(data_copy / "claims.json")
    new = dict(claims["features"][0], id="test-claim", geometry={"recipe": "place", "place": "vilnius"})
    new["layer"] = "statements"
    claims["features"].append(new)
    (data_copy / "claims.json").write_text(json.dumps(claims, ensure_ascii=False))
    assert geo("--data", str(data_copy), "build").returncode == 0
    statements = read_json(data_copy / "layers" / "statements.geojson")["features"]
    assert statements[-1]["properties"]["id"] == "test-claim"
    assert statements[-1]["geometry"] == {"type": "Point", "coordinates": [25.2798, 54.68916]}


def test_bad_claim_gives_one_clear_line(data_copy):
    claims = read_json(data_copy / "claims.json")
    claims["features"][0]["layer"] = "nowhere"
    (data_copy / "claims.json").write_text(json.dumps(claims))
    result = geo("--data", str(data_copy), "build")
    assert result.returncode == 1
    assert "layer 'nowhere' is not in catalog.json" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_data_folder_is_reported(tmp_path):
    result = geo("--data", str(tmp_path / "absent"), "build", "--check")
    assert result.returncode == 1
    assert "catalog.json: file not found" in result.stderr


def test_unknown_command_is_a_usage_error():
    result = geo("frobnicate")
    assert result.returncode == 2
    assert "invalid choice: 'frobnicate'" in result.stderr


def test_validate_import_mode_checks_an_analysts_file_as_the_app_does(tmp_path):
    path = tmp_path / "mine.geojson"
    point = {
        "type": "Feature",
        "properties": {"name": "seen"},
        "geometry": {"type": "Point", "coordinates": [25.3, 54.7]},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [point]}))
    strict = geo("validate", str(path))
    assert strict.returncode == 1 and "is missing 'id'" in strict.stdout
    lenient = geo("validate", "--import", str(path))
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr
    assert lenient.stdout.startswith(f"{path}: feature 0: warning: shown as unsourced")
