"""The CSS of the claim panel, the sources list and the legend, shared by the app and the standalone map."""

from __future__ import annotations

from geo.render.escape import Html

PANEL_CSS = Html(
    "<style>"
    ".claim-panel{font:15px/1.45 sans-serif;overflow-wrap:anywhere;max-width:100%}"
    ".claim-panel h3{margin:0 0 .3em;font-size:1.15em}"
    ".claim-panel dl{margin:.4em 0}.claim-panel dt{font-weight:600;margin-top:.55em}"
    ".claim-panel dd{margin:0}.claim-panel blockquote{margin:.3em 0;padding-left:.7em;border-left:3px solid #bbb}"
    ".claim-panel small,.sources-list small{color:#555}"
    ".claim-panel .standing{display:inline-block;padding:1px 8px;border-radius:9px;color:#fff;font-size:.85em}"
    ".claim-panel .grade{font-weight:600;text-decoration:underline dotted;cursor:help}"
    ".claim-panel .kind{color:#555;font-size:.9em;margin:0 0 .2em}"
    ".claim-panel ol{margin:.2em 0;padding-left:1.3em}.claim-panel li{margin:.15em 0 .35em}"
    ".claim-panel .timeline{list-style:none;padding-left:0}"
    ".claim-panel .timeline>li{border-left:3px solid #c2185b;padding-left:.6em}"
    ".claim-panel .timeline time{font-weight:600}.claim-panel .timeline p{margin:.2em 0}"
    ".claim-panel details{margin:.2em 0}.claim-panel summary{cursor:pointer;font-size:.9em}"
    ".claim-panel .step-role{font-size:.8em;text-transform:uppercase;letter-spacing:.04em;color:#555}"
    ".claim-panel table{border-collapse:collapse;font-size:.9em}.claim-panel td,.claim-panel th"
    "{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}"
    ".claim-legend{list-style:none;padding:0;margin:0;font:14px/1.6 sans-serif}"
    ".claim-legend .swatch{display:inline-block;width:28px;vertical-align:middle;margin-right:6px}"
    ".sources-list{font:14px/1.5 sans-serif;overflow-wrap:anywhere;padding-left:1.2em}"
    ".sources-list li{margin-bottom:.5em}.sources-list li:target{background:#fff3c4}"
    "</style>"
)
