"""``python -m geo build``: regenerates layers, detects stale files, reports bad recipes clearly."""

import errno
import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.__main__ import main
from geo.derive.build import build_layers, make_feature, render
from geo.derive.recipes import Recipes
from geo.store.catalog import DataError, load_sources
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


def test_the_data_folder_may_be_named_before_or_after_the_command(data_copy):
    path = data_copy / "layers" / "drills.geojson"
    path.write_text(path.read_text().replace('"area_km2"', '"area_km2_old"'))
    before = geo("--data", str(data_copy), "build", "--check")
    after = geo("build", "--check", "--data", str(data_copy))
    assert (after.returncode, after.stdout) == (before.returncode, before.stdout) == (1, before.stdout)
    assert str(path) in after.stdout
    # After the command, the folder named before it is overridden.
    assert geo("--data", "no-such-folder", "build", "--check", "--data", str(data_copy)).stdout == before.stdout


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
    assert lenient.stdout.startswith(f"{path}: feature #1: warning: shown as unsourced")


# --- bad case data: one line per problem, naming the file and the entry, exit 1 ---------------------------


def run_cli(capsys, *args):
    code = main([*args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def edit_json(path, change):
    document = read_json(path)
    change(document)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def test_build_names_each_claim_without_id(data_copy, capsys):
    titles = [claim["title"] for claim in read_json(data_copy / "claims.json")["features"]]

    def drop_ids(claims):
        del claims["features"][2]["id"]
        del claims["features"][4]["id"]

    edit_json(data_copy / "claims.json", drop_ids)
    code, _, err = run_cli(capsys, "--data", str(data_copy), "build")
    path = data_copy / "claims.json"
    assert code == 1
    assert err == [
        f"error: {path}: claim #3 (title '{titles[2]}'): has no 'id'",
        f"error: {path}: claim #5 (title '{titles[4]}'): has no 'id'",
    ]


def test_build_and_validate_name_a_source_without_id(data_copy, capsys):
    title = read_json(data_copy / "sources.json")[1]["title"]
    edit_json(data_copy / "sources.json", lambda sources: sources[1].pop("id"))
    path = data_copy / "sources.json"
    line = f"{path}: source #2 (title {title!r}): has no 'id'"
    assert run_cli(capsys, "--data", str(data_copy), "build") == (1, [], [f"error: {line}"])
    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate")
    assert (code, out) == (1, [line])


def test_validate_names_a_claim_without_id(data_copy, capsys):
    edit_json(data_copy / "claims.json", lambda claims: claims["features"][0].pop("id"))
    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate")
    title = "NATO forces in the Lithuanian border area (claimed by Lukashenko)"
    assert (code, out) == (1, [f"{data_copy / 'claims.json'}: claim #1 (title '{title}'): has no 'id'"])


def test_make_feature_refuses_a_claim_without_id():
    claim = {"title": "No id", "source_id": "seed-article", "geometry": {"recipe": "place", "place": "minsk"}}
    with pytest.raises(DataError, match=r"^claims\.json: claim \(title 'No id'\): has no 'id'$"):
        make_feature(claim, Recipes(DATA), load_sources(DATA))


MALFORMED_PLACES = {
    "not an object": ([1, 2], ["'places' must be a list of places"]),
    "places not a list": ({"places": {"minsk": {}}}, ["'places' must be a list of places"]),
    "place not an object": ({"places": ["minsk"]}, ["place #1: expected an object"]),
    "bad coordinates": (
        {
            "places": [
                {"id": "a", "name": "A", "lon": 27.5},
                {"id": "b", "name": "B", "lat": "53.9", "lon": 27.5},
                {"id": "c", "name": "C", "lat": 53.9, "lon": 270},
            ]
        },
        [
            "place 'a': lat must be a number from -90 to 90, got nothing",
            "place 'b': lat must be a number from -90 to 90, got \"53.9\"",
            "place 'c': lon must be a number from -180 to 180, got 270",
        ],
    ),
}


@pytest.mark.parametrize("name", MALFORMED_PLACES)
def test_build_and_validate_name_each_problem_in_places(data_copy, capsys, name):
    document, problems = MALFORMED_PLACES[name]
    path = data_copy / "places.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    lines = [f"{path}: {problem}" for problem in problems]
    assert run_cli(capsys, "--data", str(data_copy), "build") == (1, [], [f"error: {line}" for line in lines])
    code, out, _ = run_cli(capsys, "--data", str(data_copy), "validate")
    assert (code, out) == (1, lines)


def test_build_names_a_waypoints_recipe_with_a_single_place(data_copy, capsys):
    edit_json(data_copy / "claims.json", lambda claims: claims["features"][3]["geometry"].update(places=["pskov"]))
    code, _, err = run_cli(capsys, "--data", str(data_copy), "build")
    path = data_copy / "claims.json"
    expected = f"error: {path}: claim 'convoy-st-petersburg-pskov': places must list 2 or more place ids, got ['pskov']"
    assert (code, err) == (1, [expected])


def test_build_reports_every_bad_claim_not_only_the_first(data_copy, capsys):
    ids = [claim["id"] for claim in read_json(data_copy / "claims.json")["features"]]

    def break_two(claims):
        claims["features"][0]["layer"] = "nowhere"
        claims["features"][5]["geometry"] = {"recipe": "place", "place": "atlantis"}

    edit_json(data_copy / "claims.json", break_two)
    code, _, err = run_cli(capsys, "--data", str(data_copy), "build")
    path = data_copy / "claims.json"
    assert code == 1
    assert err == [
        f"error: {path}: claim '{ids[0]}': layer 'nowhere' is not in catalog.json",
        f"error: {path}: claim '{ids[5]}': unknown place 'atlantis' (add it to data/places.json)",
    ]


def test_build_names_catalog_and_setting_when_the_region_is_malformed(data_copy, capsys):
    catalog_path = data_copy / "catalog.json"
    catalog = json.loads(catalog_path.read_text(encoding="utf-8"))
    catalog["case"]["region"] = [41.0, 49.0, 14.0, 61.0]
    catalog_path.write_text(json.dumps(catalog), encoding="utf-8")
    assert main(["--data", str(data_copy), "build"]) == 1
    assert capsys.readouterr().err.strip() == (
        f"error: {catalog_path}: case 'region' must be [west, south, east, north] in degrees, "
        "got [41.0, 49.0, 14.0, 61.0]"
    )


def test_build_writes_the_offline_basemap_and_check_reports_it_stale(data_copy, capsys):
    offline = data_copy / "base" / "offline.geojson"
    committed = offline.read_bytes()
    offline.unlink()
    assert main(["--data", str(data_copy), "build", "--check"]) == 1
    assert capsys.readouterr().out.strip() == f"{offline}: stale: run `python -m geo build` and commit the result"
    assert main(["--data", str(data_copy), "build"]) == 0
    assert offline.read_bytes() == committed
    features = json.loads(committed)["features"]
    catalog = json.loads((data_copy / "catalog.json").read_text(encoding="utf-8"))
    countries = [feature for feature in features if feature["properties"].get("part") == "country"]
    assert sorted(feature["properties"]["iso3"] for feature in countries) == sorted(catalog["case"]["countries"])
