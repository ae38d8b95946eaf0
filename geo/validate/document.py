"""Validate a parsed GeoJSON document: its top level, the feature collection and each feature."""

from __future__ import annotations

from typing import Any

from geo.model.claims import migrate_status
from geo.model.schema import GEOMETRY_TYPES, collection_validator, feature_validator
from geo.validate.geometry import bbox_notes, geometry_notes
from geo.validate.problems import Context, InputError, Mode, Note, Problem, Report
from geo.validate.properties import claim_notes
from geo.validate.reading import check_depth
from geo.validate.wording import json_type, kind_and_value, messages, short


def validate_document(document: Any, context: Context) -> Report:
    """Validate a parsed GeoJSON document feature by feature.

    Parameters
    ----------
    document : Any
        A parsed JSON value: a FeatureCollection, a Feature or a bare geometry.
    context : Context
        Where the document comes from and how strictly to check it (see ``Mode``).

    Returns
    -------
    Report
        Never raises: whatever the document, its problems are in the report.

    """
    report = Report(context.path)
    try:
        check_depth(document, context.limits)
        features = _features_of(document, context, report)
    except InputError as exc:
        report.problems.append(Problem(context.path, str(exc)))
        return report
    report.total = len(features)
    seen: dict[str, int] = {}
    for index, feature in enumerate(features):
        _check_feature(feature, index, context, report, seen)
    return report


def _features_of(document: Any, context: Context, report: Report) -> list[Any]:
    if not isinstance(document, dict):
        raise InputError(f"the top level must be a GeoJSON object, not {json_type(document)}")
    if "crs" in document:
        report.problems.append(Problem(context.path, _crs_message(document["crs"]), warning=True, field="crs"))
    kind = document.get("type")
    if kind == "FeatureCollection":
        return _collection_features(document, context, report)
    if kind == "Feature":
        return [document]
    if isinstance(kind, str) and kind in GEOMETRY_TYPES:
        return [{"type": "Feature", "geometry": document, "properties": {}}]
    if kind is None:
        raise InputError("the top level has no 'type': expected FeatureCollection, Feature or a geometry")
    raise InputError(f"type {short(kind)} is not a GeoJSON type: expected FeatureCollection, Feature or a geometry")


def _crs_message(crs: Any) -> str:
    properties = crs.get("properties") if isinstance(crs, dict) else None
    name = properties.get("name") if isinstance(properties, dict) else None
    naming = f" (naming {short(name)})" if isinstance(name, str) else ""
    return f"has a legacy 'crs' member{naming}: RFC 7946 GeoJSON is always WGS84 longitude/latitude, so it was ignored"


def _collection_features(document: dict[str, Any], context: Context, report: Report) -> list[Any]:
    features = document.get("features")
    if not isinstance(features, list):
        found = "no 'features'" if features is None else f"'features' as {json_type(features)}"
        raise InputError(f"the FeatureCollection has {found}: it needs a 'features' list")
    if len(features) > context.limits.max_features:
        raise InputError(f"the file has {len(features)} features; the feature limit is {context.limits.max_features}")
    notes = messages(collection_validator().iter_errors(document)) or bbox_notes(document, "")
    if notes:
        report.problems.extend(Problem(context.path, note.message, field=note.field) for note in notes)
        return []
    if not features:
        report.problems.append(Problem(context.path, "the FeatureCollection has no features", warning=True))
    return features


def _feature_key(feature: Any, index: int) -> str | int:
    if isinstance(feature, dict):
        properties = feature.get("properties")
        for candidate in ((properties or {}).get("id") if isinstance(properties, dict) else None, feature.get("id")):
            text = _id_text(candidate)
            if text:
                return text
    return index


def _id_text(candidate: Any) -> str:
    if not isinstance(candidate, str | int) or isinstance(candidate, bool):
        return ""
    try:
        return str(candidate)
    except ValueError:  # an integer too long to print
        return ""


def _check_feature(feature: Any, index: int, context: Context, report: Report, seen: dict[str, int]) -> None:
    key = _feature_key(feature, index)
    errors, warnings = _feature_notes(feature, context)
    if isinstance(key, str) and key in seen:
        note = Note("id", f"the id {short(key)} is used by an earlier feature too: ids must be unique")
        if context.mode is Mode.IMPORT:
            warnings.append(Note("id", note.message + "; both features were kept"))
        else:
            errors.append(note)
    _add(report, context, key, index, errors, warning=False)
    _add(report, context, key, index, warnings, warning=True)
    if errors:
        return
    if isinstance(key, str):
        seen.setdefault(key, index)
    report.features.append(_accepted(feature))
    if context.mode is Mode.IMPORT:
        _migrate_status(report, context, key, index)
        _mark_unsourced(report, context, key, index)


def _add(report: Report, context: Context, key: str | int, index: int, notes: list[Note], warning: bool) -> None:
    report.problems.extend(
        Problem(context.path, note.message, key, warning=warning, field=note.field, index=index) for note in notes
    )


def _accepted(feature: dict[str, Any]) -> dict[str, Any]:
    accepted: dict[str, Any] = {"type": "Feature"}
    if "id" in feature:
        accepted["id"] = feature["id"]
    accepted["geometry"] = feature["geometry"]
    accepted["properties"] = dict(feature.get("properties") or {})
    return accepted


def _migrate_status(report: Report, context: Context, key: str | int, index: int) -> None:
    """Read an import's pre-2026 ``status`` as ``kind`` and ``standing``, with a warning that says so."""
    properties, warning = migrate_status(report.features[-1]["properties"])
    if warning:
        report.features[-1]["properties"] = properties
        report.problems.append(
            Problem(context.path, warning, key, warning=True, field="properties.status", index=index)
        )


def _mark_unsourced(report: Report, context: Context, key: str | int, index: int) -> None:
    reasons = [note.message for note in claim_notes(report.features[-1]["properties"], context)]
    if not reasons:
        return
    report.unsourced[len(report.features) - 1] = reasons
    message = "shown as unsourced: " + "; ".join(reasons)
    report.problems.append(Problem(context.path, message, key, warning=True, field="properties", index=index))


def _null_geometry_notes(
    feature: dict[str, Any], context: Context, errors: list[Note], warnings: list[Note]
) -> tuple[list[Note], list[Note]]:
    """A claim file's feature may lack a shape only if its source gives no place (precision ``unknown``)."""
    precision = (feature.get("properties") or {}).get("precision")
    if context.mode is not Mode.CLAIMS:
        return errors, [*warnings, Note("geometry", "has no shape (geometry is null): it is kept but not drawn")]
    if precision == "unknown":
        return errors, warnings
    message = (
        f"has no shape (geometry is null) but its precision is {short(precision)}: "
        'use "unknown" if its source gives no place'
    )
    return [*errors, Note("geometry", message)], warnings


def _feature_notes(feature: Any, context: Context) -> tuple[list[Note], list[Note]]:
    if not isinstance(feature, dict):
        return [Note("", f"is {kind_and_value(feature)}, not a GeoJSON Feature object")], []
    errors = messages(feature_validator().iter_errors(feature)) or bbox_notes(feature, "")
    warnings: list[Note] = []
    if "properties" not in feature:
        warnings.append(Note("properties", "has no 'properties' member; treated as empty"))
    if errors:
        return errors, warnings
    if feature["geometry"] is None:
        errors, warnings = _null_geometry_notes(feature, context, errors, warnings)
    else:
        errors, geometry_warnings = geometry_notes(feature["geometry"], context.mode is Mode.CLAIMS, context.region)
        warnings += geometry_warnings
    if context.mode is Mode.CLAIMS:
        errors += claim_notes(feature.get("properties") or {}, context)
    return errors, warnings
