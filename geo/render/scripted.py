"""A claims group rendered to script once, handed to the map again as a group that renders nothing twice.

streamlit-folium writes a group it swaps into the mounted map as script text: each element's ``script`` macro,
with Folium's random variable names replaced by stable ones. The text of one view is the same on every run
and in every session that shows the view, so the page keeps it (``geo.app.groupscript``) and hands it back
wrapped in :class:`ScriptedGroup`, skipping the build of the group and its render, which compiles every
element's output a second time as a Jinja2 template.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import folium
from branca.element import Element
from folium.elements import JSCSSMixin
from jinja2 import Template


@dataclass(frozen=True)
class GroupScript:
    """A group's script as streamlit-folium sends it, and the script and style files its elements need.

    Attributes
    ----------
    text : str
        The script, with the mounted map named as streamlit-folium names it.
    js, css : tuple of (name, url)
        Files of the group's elements that load their own (``JSCSSMixin``), in the group's order.
    """

    text: str
    js: tuple[tuple[str, str], ...] = ()
    css: tuple[tuple[str, str], ...] = ()


class ScriptedGroup(JSCSSMixin, folium.FeatureGroup):
    """A feature group whose script is text rendered before: no children, nothing added to the page when rendered.

    Parameters
    ----------
    script : GroupScript
        The rendered group (``mount_alone`` then streamlit-folium's ``generate_leaflet_string``).
    """

    _template = Template("{% macro script(this, kwargs) %}{{ this.script_text }}{% endmacro %}")

    def __init__(self, script: GroupScript):
        super().__init__(name="Claims", control=False)
        self.script_text = script.text
        self.default_js = list(script.js)
        self.default_css = list(script.css)

    def render(self, **kwargs) -> None:
        """Add nothing to the page: the script was rendered, with the group's children, when it was made."""


def drawn_group(draw: Callable[[folium.FeatureGroup], None]) -> tuple[folium.FeatureGroup, list[Element]]:
    """Return a new claims group with what ``draw`` adds to it, and those elements (before any render adds more)."""
    group = folium.FeatureGroup(name="Claims", control=False)
    draw(group)
    return group, list(group._children.values())


def empty_map() -> folium.Map:
    """Return a map with nothing on it, not even tiles: somewhere to render a group on its own."""
    return folium.Map(tiles=None)


def mount_alone(group: folium.FeatureGroup, group_id: str) -> folium.Map:
    """Add ``group`` as ``group_id`` to a map of its own and render it, as streamlit-folium does to a group it adds.

    Returns
    -------
    folium.Map
        The map it was added to: its name in the script is the one to replace by the mounted map's.
    """
    alone = empty_map()
    group._id = group_id
    group.add_to(alone)
    group.render()
    return alone


def element_files(element: Element) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """Return the script and style files (``js``, ``css``) of the elements in ``element``'s tree that load their own."""
    js: dict[tuple[str, str], None] = {}
    css: dict[tuple[str, str], None] = {}
    for node in _tree(element):
        if isinstance(node, JSCSSMixin):
            js.update(dict.fromkeys(tuple(pair) for pair in node.default_js))
            css.update(dict.fromkeys(tuple(pair) for pair in node.default_css))
    return tuple(js), tuple(css)


def _tree(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _tree(child)
