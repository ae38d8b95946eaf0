"""The Streamlit page through AppTest: layers reach the map, toggles remove them, downloads follow."""

import json
import re
import subprocess
import sys

import pytest
from shapely.geometry import shape
from streamlit.testing.v1 import AppTest

from geo.app import claimpanel, mapframe, mapsection, mount, selection, table, workspace
from geo.app import downloads as ui_downloads
from geo.app import imports as ui_imports
from geo.app import page as ui
from geo.app.page import layer_key
from geo.export import geojson as downloads
from geo.export import naming
from geo.export.linkedplaces import with_linked_places
from geo.model import filters
from geo.model.claims import responses, shown_standing
from geo.render import assets, legend, mapview, style
from geo.render.escape import escape_markdown, escape_text
from geo.store import case
from geo.store.case import DATA_ENV, load_case
from tests.browser import ROOT, catalog_layers, drawn_count
from tests.pagetest import checkbox, widget

#: Features the map draws per layer: those with a geometry (a denial whose source gives no place has none).
LAYER_COUNTS = {layer["id"]: drawn_count(features) for layer, features in catalog_layers()}
#: Features per layer, drawn or not: what the downloads hold.
FEATURE_COUNTS = {layer["id"]: len(features) for layer, features in catalog_layers()}
#: Countries in the offline basemap's outlines.
BASE_COUNTRIES = len(json.loads((ROOT / "data" / "base" / "countries.geojson").read_text(encoding="utf-8"))["features"])


@pytest.fixture
def app():
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()


@pytest.fixture
def app_on(data_copy, monkeypatch):
    """Return a function that runs the page on ``data_copy`` (``CLAIM_MAP_DATA``), caches emptied around it."""
    monkeypatch.setenv(DATA_ENV, str(data_copy))
    ui._case.clear()
    mapsection._offline_basemap.clear()
    yield lambda: AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    ui._case.clear()
    mapsection._offline_basemap.clear()


def map_args(app):
    (component,) = app.get("component_instance")
    return json.loads(component.proto.json_args)


def map_script(app):
    """The map as the page sends it: the mounted base's script and the claims group swapped into it."""
    args = map_args(app)
    return args["script"] + "\n" + (args.get("feature_group") or "")


def drawn_counts(app):
    keys = re.findall(r'"_key": "([^"/]+)/\d+"', map_script(app))
    return {layer: keys.count(layer) for layer in set(keys)}


def test_page_runs_and_draws_every_layer(app):
    assert not app.exception
    assert drawn_counts(app) == LAYER_COUNTS


def test_map_loads_leaflet_from_this_server_only(app):
    args = map_args(app)
    assert args["js_links"] == ["/app/static/vendor/leaflet/leaflet.js"]
    assert args["css_links"] == ["/app/static/vendor/leaflet/leaflet.css"]


def test_a_read_only_install_carries_leaflet_inside_the_map(monkeypatch, tmp_path):
    blocker = tmp_path / "static"
    blocker.write_text("a file where the folder would go: nothing can be copied below it")
    monkeypatch.setattr(assets, "LEAFLET_DIR", blocker / "vendor" / "leaflet")
    mapsection.leaflet_url.clear()
    try:
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    finally:
        mapsection.leaflet_url.clear()
    assert not app.exception
    args = map_args(app)
    assert args["js_links"] == [] and args["css_links"] == []
    assert assets.leaflet_text("leaflet.js")[:200].replace("</script", "<\\/script") in args["header"]
    assert drawn_counts(app) == LAYER_COUNTS


def test_unticking_a_layer_removes_it_from_the_map_and_the_view_download(app):
    app.checkbox(key=layer_key("drills")).uncheck().run()
    assert drawn_counts(app) == {k: v for k, v in LAYER_COUNTS.items() if k != "drills"}
    labels = [button.label for button in app.get("download_button")]
    visible = sum(count for layer, count in FEATURE_COUNTS.items() if layer != "drills")
    assert labels[0] == f"All visible layers ({visible} features)"
    assert not any("drills" in label.lower() for label in labels)
    checkbox(app, layer_key("drills")).check().run()
    assert drawn_counts(app) == LAYER_COUNTS


def test_a_layer_switch_reruns_the_map_panel_table_and_downloads_alone(app):
    drills = {
        feature["properties"]["id"]
        for layer, features in catalog_layers()
        if layer["id"] == "drills"
        for feature in features
    }
    assert app.title and app.checkbox and drills <= set(app.get("dataframe")[0].value["value"])
    checkbox(app, layer_key("drills")).uncheck().run()
    assert not app.exception
    # AppTest holds what the run drew: the four sections, not the title or the sidebar's widgets.
    assert not app.title and not list(app.checkbox)
    assert drawn_counts(app) == {k: v for k, v in LAYER_COUNTS.items() if k != "drills"}
    (claims_table,) = app.get("dataframe")
    assert not drills & set(claims_table.value["value"])
    assert app.get("download_button")


def test_a_layer_switch_reruns_the_whole_page_when_a_section_it_changes_is_missing():
    def page():
        import streamlit as st

        from geo.app import toggles

        st.title("The whole page")
        st.checkbox("A layer", key=toggles.layer_key("a"), on_change=toggles.rerun_dependents)

    app = AppTest.from_function(page).run()
    app.checkbox(key="layer:a").check().run()
    assert not app.exception
    assert app.title[0].value == "The whole page" and app.checkbox(key="layer:a").value


def made_per_view(monkeypatch, module, name):
    """Count calls to ``module.name`` while the page opens, reruns unchanged, and a layer goes off and on again.

    Returns the counts after the rerun, after switching the layer off and after switching it back, and the page.
    """
    calls = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *args, **kwargs: calls.append(1) or real(*args, **kwargs))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    app.run()
    counts = [len(calls)]
    for switch in ("uncheck", "check"):
        getattr(checkbox(app, layer_key("drills")), switch)().run()
        counts.append(len(calls))
    return counts, app


def test_the_base_map_is_built_once_across_views(monkeypatch):
    mount._arguments.clear()
    mount._base_arguments.clear()
    counts, app = made_per_view(monkeypatch, mapview, "build_base")
    # Once on opening; the view without drills swaps its group into the same base.
    assert counts == [1, 1, 1]
    assert drawn_counts(app) == LAYER_COUNTS


def test_the_claims_table_is_made_once_per_view(monkeypatch):
    workspace._case_rows.clear()
    counts, app = made_per_view(monkeypatch, table, "claims_frame")
    assert counts == [1, 2, 2]
    assert len(app.get("dataframe")[0].value) == sum(
        1 for layer, features in catalog_layers() if layer.get("group") != "context" for _ in features
    )


def test_the_claims_grid_is_converted_once_per_view_and_shows_the_frame(monkeypatch):
    workspace._case_rows.clear()
    counts, app = made_per_view(monkeypatch, table, "grid_table")
    assert counts == [1, 2, 2]
    grid = app.get("dataframe")[0].value
    assert list(grid["value"]) == list(workspace.claim_rows(*_opening_view()).frame["value"])


def _opening_view():
    loaded = load_case(case.default_data_dir())
    visible = [(layer, fc) for layer, fc in loaded.layers() if layer.default_visible]
    return loaded, visible, filters.Filters(), selection.choices(loaded.layers())


def test_the_case_claims_bounds_are_measured_once_per_case(monkeypatch):
    mapframe._claim_bounds.clear()
    counts, app = made_per_view(monkeypatch, mapframe, "data_bounds")
    assert counts == [1, 1, 1]
    assert drawn_counts(app) == LAYER_COUNTS


def test_each_feature_is_written_once_for_every_geojson_file_across_views(monkeypatch):
    ui_downloads._built.clear()
    ui_downloads._layer_text.clear()
    counts, app = made_per_view(monkeypatch, downloads, "export_properties")
    # The view, all layers and each layer's own file share each layer's text: a new view joins texts.
    assert counts == [sum(len(features) for _, features in catalog_layers())] * 3
    assert not app.exception


def test_everything_off_shows_empty_states_and_still_offers_every_layer_whole(app):
    for layer in LAYER_COUNTS:
        app.checkbox(key=layer_key(layer)).uncheck()
    app.run()
    assert not app.exception
    assert drawn_counts(app) == {}
    assert "Every layer is switched off" in app.warning[0].value
    assert any("No layer is switched on" in info.value for info in app.info)
    # The switches reran the sections they change: the view's download is gone, nothing else is offered there.
    assert not app.get("download_button")
    app.run()
    labels = [button.label for button in app.get("download_button")]
    all_layers = f"All layers ({sum(FEATURE_COUNTS.values())} features)"
    layers = [f"{layer['title']} ({len(features)})" for layer, features in catalog_layers()]
    assert labels == [all_layers, *layers, "Sources as CSL-JSON (Zotero, Pandoc)", "Sources as BibTeX"]


def test_offline_basemap_draws_outlines_without_tiles(app):
    app.radio(key="basemap").set_value("Offline (no tiles)").run()
    script = map_args(app)["script"]
    assert "tile.openstreetmap.org" not in script
    assert script.count('"iso3"') == BASE_COUNTRIES
    assert "place-label" in script and "Vilnius" in script


def test_download_of_visible_layers_holds_their_features(case):
    visible = case.layers(["convoy-route", "statements"])
    exported = downloads.export_collection(visible, "view")
    ids = [feature["properties"]["id"] for feature in exported["features"]]
    expected = [f["properties"]["id"] for _, fc in visible for f in fc["features"]]
    assert ids == expected and len(ids) == FEATURE_COUNTS["convoy-route"] + FEATURE_COUNTS["statements"]
    assert all(feature["properties"]["source"] for feature in exported["features"])
    parsed = json.loads(downloads.to_bytes(exported))
    assert parsed["features"][0]["geometry"] == visible[0][1]["features"][0]["geometry"]


def test_download_names_say_case_scope_and_date():
    import datetime as dt

    name = naming.download_name("belarus-2020-08", "convoy-route", dt.date(2026, 11, 25))
    assert name == "claim-map_belarus-2020-08_convoy-route_2026-11-25.geojson"
    assert (
        naming.download_name("x", "../../etc/passwd", dt.date(2026, 1, 2))
        == "claim-map_x_etc-passwd_2026-01-02.geojson"
    )


def test_a_click_maps_back_to_the_original_feature(case):
    visible = case.layers()
    layer, index = mapframe.clicked_key({"properties": {"_key": "convoy-route/1"}}, visible)
    assert (layer.id, index) == ("convoy-route", 1)
    assert case.collections["convoy-route"]["features"][index]["properties"]["id"] == "rosgvardia-trucks-toward-belarus"
    assert mapframe.clicked_key({"properties": {"_key": "drills/0"}}, case.layers(["statements"])) is None
    assert mapframe.clicked_key({"properties": {"_key": "convoy-route/999"}}, visible) is None
    assert mapframe.clicked_key(None, visible) is None


def test_statements_at_the_same_place_are_offered_together(case):
    statements = case.collections["statements"]["features"]
    minsk = next(f for f in statements if f["properties"]["id"] == "lukashenko-nato-accusation-minsk")
    others = [f["properties"]["id"] for _, f in claimpanel.colocated(minsk, case.layers())]
    assert others == ["lukashenko-putin-help-minsk"]
    assert claimpanel.colocated(case.collections["drills"]["features"][0], case.layers()) == []


def test_inferred_places_are_drawn_fainter_and_thinner_than_stated_ones(case):
    for layer, collection in case.layers():
        for feature in filter(lambda item: item["geometry"], collection["features"]):
            stated = {**feature, "properties": {**feature["properties"], "placement": "stated"}}
            inferred = {**feature, "properties": {**feature["properties"], "placement": "inferred"}}
            plain, faint = style.feature_style(stated, layer.style), style.feature_style(inferred, layer.style)
            assert faint["opacity"] < plain["opacity"] and faint["weight"] < plain["weight"], feature["id"]
    assert 'data-doubt="inferred"' in str(legend.legend_html(["unverified"]))


def test_view_download_builds_the_filtered_visible_features(case):
    keep = filters.Filters(standings=frozenset({"contested"}))
    layers = case.layers(["border-areas", "statements"])
    view = filters.apply(layers, keep)
    data = json.loads(ui_downloads._deferred(case, view, "geojson", "view")())
    ids = [feature["properties"]["id"] for feature in data["features"]]
    expected = [f["properties"]["id"] for _, fc in layers for f in fc["features"] if shown_standing(f) == "contested"]
    assert ids == expected and ids
    assert {feature["properties"]["layer"] for feature in data["features"]} <= {"border-areas", "statements"}


def test_a_view_file_joined_from_layer_texts_equals_the_view_written_whole(case):
    ui_downloads._built.clear()
    ui_downloads._layer_text.clear()
    files = ui_downloads.Files.of(case, case.layers(), "geojson")
    contested = filters.Filters(standings=frozenset({"contested", "denied"}))
    for layers, keep in ((case.layers(), filters.Filters()), (case.layers(["statements", "drills"]), contested)):
        view = filters.apply(layers, keep)
        whole = downloads.to_bytes(with_linked_places(downloads.export_collection(view, "belarus-2020-08 view")))
        assert files.data(view, "view", keep) == whole
        ids = [feature["properties"]["id"] for feature in json.loads(whole)["features"]]
        assert ids == [feature["properties"]["id"] for _, collection in view for feature in collection["features"]]


# --- Imports ----------------------------------------------------------------------------------------------------


def own_download(case, layer_id):
    """The app's own GeoJSON download of one layer: a file the import accepts without a problem."""
    return downloads.to_bytes(downloads.export_collection(case.layers([layer_id]), layer_id))


def upload(app, *files):
    """Upload ``(name, bytes)`` files through the sidebar's uploader and rerun the page."""
    app.get("file_uploader")[0].set_value([(name, data, "application/geo+json") for name, data in files])
    return app.run()


def point_feature(properties):
    return {"type": "Feature", "properties": properties, "geometry": {"type": "Point", "coordinates": [25.3, 54.7]}}


def collection_bytes(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def problem_headings(app):
    return [expander.label for expander in app.expander if expander.label.startswith("Problems in")]


def test_a_clean_import_reports_success_and_no_problems(app, case):
    upload(app, ("drills.geojson", own_download(case, "drills")))
    assert not app.exception
    # Beside the uploader, and again in the report below the table.
    assert [note.value for note in app.sidebar.success] == ["drills.geojson: 1 of 1 features imported"]
    assert [note.value for note in app.main.success] == ["drills.geojson: 1 of 1 features imported"]
    assert problem_headings(app) == []
    assert app.checkbox(key=layer_key("import-drills")).value
    assert any(button.label.startswith("All layers") for button in app.get("download_button"))


def test_a_clean_import_after_a_file_with_problems_gets_no_problem_heading(app, case):
    bad = collection_bytes(point_feature({"title": "Checkpoint"}))
    upload(app, ("bad.geojson", bad), ("clean.geojson", own_download(case, "drills")))
    assert not app.exception
    assert problem_headings(app) == ["Problems in bad.geojson (1)"]


def test_a_file_that_failed_to_import_is_no_layer(app):
    upload(app, ("broken.json", b'{"type": "FeatureCollection", "features": ['))
    assert not app.exception
    assert [note.value for note in app.main.error][0].startswith("broken.json: not imported: the file ends too early")
    (beside,) = app.sidebar.error
    assert beside.value.startswith("broken.json: not imported: the file ends too early")
    assert beside.value.endswith(f"(#{ui_imports.REPORT_ANCHOR})")
    assert any(f'id="{ui_imports.REPORT_ANCHOR}"' in block.proto.body for block in app.get("html"))
    assert "layer:import-broken" not in [box.key for box in app.checkbox]
    labels = [button.label for button in app.get("download_button")]
    assert not [label for label in labels if "broken" in label]
    assert drawn_counts(app) == LAYER_COUNTS
    assert problem_headings(app) == ["Problems in broken.json (1)"]


def test_problem_table_cells_are_escaped_html_not_markdown(app):
    link, tag = "[Fix](http://x)", "<b>bold</b>"
    upload(app, ("links.geojson", collection_bytes(point_feature({"title": "t", "kind": link, "id": tag}))))
    (table,) = [html.proto.body for html in app.get("html") if ui_imports.PROBLEM_TABLE_CLASS in html.proto.body]
    assert link in table and "<a" not in table
    assert "#1 (id &lt;b&gt;bold&lt;/b&gt;)" in table and tag not in table
    assert not app.get("table"), "st.table renders Markdown in its cells"


# --- Faults fail small ------------------------------------------------------------------------------------------


def test_users_are_shown_no_error_details():
    shown = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert re.search(r'^showErrorDetails = "none"$', shown.stdout, re.MULTILINE)


def test_a_failing_section_says_so_plainly_and_the_others_stay(app_on, data_copy, caplog):
    (data_copy / "places.json").write_text('{"places": [', encoding="utf-8")
    app = app_on()
    # The choice reruns the map section alone (AppTest then holds only its elements); the next run is whole.
    app.radio(key="basemap").set_value("Offline (no tiles)").run()
    assert not app.exception and not app.get("download_button")
    app.run()
    assert not app.exception
    (message,) = [error.value for error in app.error]
    assert message.startswith("The map cannot be shown: places.json: not valid JSON (")
    assert str(data_copy) not in message
    total = sum(FEATURE_COUNTS.values())
    labels = [button.label for button in app.get("download_button")]
    assert labels[:2] == [f"All visible layers ({total} features)", f"All layers ({total} features)"]
    assert any("sources-list" in html.proto.body for html in app.get("html"))
    assert "Traceback" in caplog.text and str(data_copy / "places.json") in caplog.text


def test_downloads_come_with_the_page_but_standalone_maps_are_built_on_click_with_a_retry_hint(app):
    assert all(button.proto.url for button in app.get("download_button"))
    assert ui_downloads.RETRY_HINT not in [caption.value for caption in app.caption]
    app.selectbox(key=ui_downloads.FORMAT_KEY).select("html").run()
    maps = [button for button in app.get("download_button") if not button.label.startswith("Sources")]
    assert maps and all(button.proto.deferred_file_id and not button.proto.url for button in maps)
    assert ui_downloads.RETRY_HINT in [caption.value for caption in app.caption]


def test_a_file_comes_with_the_page_up_to_the_size_limit_and_the_same_file_is_built_on_click_above(case, monkeypatch):
    files = ui_downloads.Files.of(case, case.layers(), "geojson")
    sizes = {layer_id: size for layer_id, (_, size) in files.layers.items()}
    small, large = min(sizes, key=sizes.get), max(sizes, key=sizes.get)
    monkeypatch.setattr(ui_downloads, "EAGER_MAX_BYTES", sizes[small])
    eager = files.data(case.layers([small]), small)
    assert eager == ui_downloads._deferred(case, case.layers([small]), "geojson", small, files.day)()
    assert callable(files.data(case.layers([large]), large))


def test_an_upload_with_swapped_axes_is_told_so_in_the_case_region(app):
    swapped = {"type": "Feature", "properties": {"title": "Vilnius?"}, "geometry": {"type": "Point", "coordinates": []}}
    swapped["geometry"]["coordinates"] = [54.69, 25.28]
    upload(app, ("swapped.geojson", collection_bytes(swapped)))
    (table,) = [html.proto.body for html in app.get("html") if ui_imports.PROBLEM_TABLE_CLASS in html.proto.body]
    assert "latitude and longitude look swapped" in table
    west, south, east, north = json.loads((ROOT / "data" / "catalog.json").read_text())["case"]["region"]
    assert f"({west:g}–{east:g}°E, {south:g}–{north:g}°N)" in table


# --- Selecting a feature: the selector, related features, the map's centre ----------------------------------

NATO_CLAIM = "nato-forces-lithuania-border"
SPOKESPERSON = "nato-spokesperson-denial"


def shipped(feature_id):
    return next(f for _, features in catalog_layers() for f in features if f["properties"]["id"] == feature_id)


def selector(app):
    """Return the panel's selector (its widget key changes with each choice made elsewhere)."""
    (drawn,) = [box for box in app.selectbox if box.key.startswith(f"{claimpanel.SELECTOR_BOX_KEY}:")]
    return drawn


def panel_titles(app):
    return re.findall(r'<div class="claim-panel"><h3>(.*?)</h3>', "".join(html.proto.body for html in app.get("html")))


def test_the_selector_offers_every_feature_including_denials_without_a_place(app):
    options = selector(app).options
    every = [f["properties"]["id"] for _, features in catalog_layers() for f in features]
    unplaced = [f["properties"]["title"] for _, features in catalog_layers() for f in features if not f["geometry"]]
    assert len(options) == len(every) and unplaced
    assert [title for title in unplaced if f"{title} (not on the map)" not in options] == []
    assert selector(app).value is None and panel_titles(app) == []


def test_the_selector_sends_the_browser_no_value_on_runs_that_did_not_change_the_selection(app):
    # A value sent with the widget overrides what the reader picks while that run is on its way: a choice made
    # as the map reported its view was undone by the next rerun (the CI failure of stop 16).
    box = selector(app)
    assert box.value is None and not box.proto.set_value
    app.run()
    assert not selector(app).proto.set_value
    selector(app).set_value(NATO_CLAIM).run()
    app.run()
    box = selector(app)
    assert box.value == NATO_CLAIM and not box.proto.set_value


def browser_states(app):
    """Return the widget values a browser would send now: AppTest's, without button presses.

    The browser sends a button's press once, then forgets it; AppTest writes every button as unpressed.
    """
    states = app._tree.get_widget_states()
    kept = [state for state in states.widgets if state.WhichOneof("value") != "trigger_value"]
    del states.widgets[:]
    states.widgets.extend(kept)
    return states


def test_a_choice_made_by_a_button_survives_a_rerun_that_carries_the_selectors_old_value(app):
    # The browser asks for a rerun after the map pans; if it asks before the button's run has reached it, the
    # request carries every widget's value as the browser still has it: the selector still on the claim.
    selector(app).set_value(NATO_CLAIM).run()
    in_browser = browser_states(app)
    app.button(key=f"{claimpanel.RELATED_KEY}:{SPOKESPERSON}").click().run()
    assert panel_titles(app) == [escape_text(shipped(SPOKESPERSON)["properties"]["title"])]
    app._run(in_browser)
    assert not app.exception
    assert selector(app).value == SPOKESPERSON
    assert panel_titles(app) == [escape_text(shipped(SPOKESPERSON)["properties"]["title"])]


def test_a_choice_made_by_a_button_survives_a_rerun_that_carries_the_tables_old_row(app):
    # As above, for the claims table: the page moved its selection to the claim's row; a rerun the browser asked
    # for before the button's run reached it carries that row, which the page must not take as the reader's pick.
    selector(app).set_value(NATO_CLAIM).run()
    in_browser = browser_states(app)
    # AppTest keeps no widget state for a dataframe, a browser does: the rows the page chose, the claim's.
    (claims_table,) = app.get("dataframe")
    table_key = claims_table.proto.id.split("-", 2)[2]  # "$$ID-<hash>-<key>"
    in_browser.widgets.add(id=claims_table.proto.id, string_value=json.dumps(app.session_state[table_key]))
    app.button(key=f"{claimpanel.RELATED_KEY}:{SPOKESPERSON}").click().run()
    app._run(in_browser)
    app.run()
    assert not app.exception
    assert panel_titles(app) == [escape_text(shipped(SPOKESPERSON)["properties"]["title"])]


def test_a_choice_made_by_a_button_shows_in_the_selector_which_keeps_its_clear_button(app):
    selector(app).set_value(NATO_CLAIM).run()
    app.button(key=f"{claimpanel.RELATED_KEY}:{SPOKESPERSON}").click().run()
    box = selector(app)
    # The browser offers a clear button only on a selectbox without a default option.
    assert box.value == SPOKESPERSON and not box.proto.HasField("default")
    box.set_value(None).run()
    assert selector(app).value is None and panel_titles(app) == []


def test_the_selection_stays_chosen_when_the_language_changes_and_its_option_reads_in_the_new_language(app):
    denial = shipped(SPOKESPERSON)["properties"]
    selector(app).set_value(SPOKESPERSON).run()
    app.radio(key="lang").set_value("de").run()
    assert not app.exception
    box = selector(app)
    assert box.value == SPOKESPERSON
    assert f"{denial['title']} (nicht auf der Karte)" in box.options
    assert panel_titles(app) == [escape_text(denial["title"])]


def test_choosing_a_claim_shows_its_panel_and_a_button_per_denial_in_date_order(app):
    claim = shipped(NATO_CLAIM)["properties"]
    selector(app).set_value(NATO_CLAIM).run()
    assert not app.exception
    assert panel_titles(app) == [escape_text(claim["title"])]
    denials = [item["feature"] for item in responses(claim) if item["type"] == "denial"]
    buttons = [button for button in app.button if button.key.startswith(claimpanel.RELATED_KEY)]
    assert [button.key for button in buttons] == [f"{claimpanel.RELATED_KEY}:{item}" for item in denials]
    assert [button.label for button in buttons] == [
        escape_markdown(f"Denied by: {shipped(item)['properties']['title']}") for item in denials
    ]


def test_a_denial_without_a_place_is_selected_and_its_denies_button_selects_the_claim(app):
    denial = shipped(SPOKESPERSON)
    assert denial["geometry"] is None
    selector(app).set_value(NATO_CLAIM).run()
    app.button(key=f"{claimpanel.RELATED_KEY}:{SPOKESPERSON}").click().run()
    assert selector(app).value == SPOKESPERSON
    assert panel_titles(app) == [escape_text(denial["properties"]["title"])]
    assert any("not on the map" in caption.value for caption in app.caption)
    claim_title = shipped(NATO_CLAIM)["properties"]["title"]
    button = app.button(key=f"{claimpanel.RELATED_KEY}:{NATO_CLAIM}")
    assert button.label == escape_markdown(f"Denies: {claim_title}")
    button.click().run()
    assert selector(app).value == NATO_CLAIM
    assert panel_titles(app) == [escape_text(claim_title)]


def test_a_chosen_claim_the_search_or_its_layer_hides_says_so_in_the_panel(app):
    layer_id = next(layer["id"] for layer, features in catalog_layers() if shipped(NATO_CLAIM) in features)
    selector(app).set_value(NATO_CLAIM).run()
    assert app.warning.len == 0
    widget(app, "text_input", ui.SEARCH_KEY).set_value("Rosgvardia").run()
    assert [warning.value for warning in app.warning] == [claimpanel.FILTERED_OUT]
    widget(app, "text_input", ui.SEARCH_KEY).set_value("").run()
    assert app.warning.len == 0
    checkbox(app, layer_key(layer_id)).uncheck().run()
    assert claimpanel.SWITCHED_OFF in [warning.value for warning in app.warning]
    assert panel_titles(app) == [escape_text(shipped(NATO_CLAIM)["properties"]["title"])]


def test_the_map_pans_to_a_feature_chosen_in_the_panel_and_stays_for_one_without_a_place(app):
    assert map_args(app)["center"] is None
    selector(app).set_value(NATO_CLAIM).run()
    lat, lon = map_args(app)["center"]
    west, south, east, north = shape(shipped(NATO_CLAIM)["geometry"]).bounds
    assert south <= lat <= north and west <= lon <= east
    selector(app).set_value(SPOKESPERSON).run()
    assert map_args(app)["center"] is None


def test_a_case_edited_while_the_server_runs_is_read_again_and_only_then(app_on, data_copy, monkeypatch):
    loads = []
    monkeypatch.setattr(case, "load_case", lambda *args: loads.append(args) or load_case(*args))
    app = app_on()
    app.run()
    assert len(loads) == 1, "an unchanged case was read again"
    catalog = json.loads((data_copy / "catalog.json").read_text(encoding="utf-8"))
    old = catalog["layers"][0]["title"]
    catalog["layers"][0]["title"] = "Renamed while the server runs"
    (data_copy / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
    app.run()
    assert not app.exception and len(loads) == 2
    labels = [box.label for box in app.checkbox]
    assert any(label.startswith("Renamed while the server runs (") for label in labels), labels
    assert not any(label.startswith(escape_markdown(old)) for label in labels), labels


def test_an_imported_layer_is_offered_whole_under_its_title_as_text_not_markdown(app, case):
    name = "**[x](http://e.test)** {{7*7}}.geojson"
    upload(app, (name, own_download(case, "drills")))
    assert not app.exception
    (switch,) = [box for box in app.checkbox if box.key.startswith("layer:import-")]
    labels = [button.label for button in app.get("download_button")]
    # The switch and the button read alike, every Markdown mark escaped: nothing of the name becomes a link or bold.
    assert switch.label in labels
    assert escape_markdown(name) in switch.label
