"""Page-level CSS for the Streamlit page (desktop and phone-sized screens).

``geo.app.page.main`` injects ``PAGE_CSS`` once with ``st.html``. The selectors lean on Streamlit's stable
``data-testid`` attributes and on the map iframe's title, never on generated class names.

Streamlit puts columns side by side whenever the *window* is at least 640px wide, even when an open
sidebar leaves the page itself far narrower (a tablet, a small laptop): the map and the source panel then
shrink to slivers. So the page's main area is a CSS container, and the map row stacks its columns when
that area, not the window, is narrow.
"""

from __future__ import annotations

#: Below this width of the main area the map and the source panel stack (map on top).
STACK_BELOW = "760px"
#: Where the map column sits below the top bar when it sticks (Streamlit's header is 3.75rem high).
STICKY_TOP = "4rem"
#: Streamlit's own breakpoint for phone-sized windows.
PHONE_MAX = "640px"
MAP_ROW = '[data-testid="stHorizontalBlock"]:has(iframe[title="streamlit_folium.st_folium"], iframe[data-claim-map])'

PAGE_CSS = f"""
<style>
.block-container {{padding-top: 2.5rem;}}
/* Captions carry counts and notes: dark enough for WCAG AA contrast (Streamlit fades them to about 4:1). */
[data-testid="stCaptionContainer"] {{opacity: 1 !important;}}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {{color: #595959 !important;}}
[data-testid="stMain"] {{container-type: inline-size; container-name: claim-main;}}

/* A selection on a phone scrolls here: clear of Streamlit's top bar. */
#claim-panel-top {{scroll-margin-top: 4.5rem;}}

/* The claim panel: no inherited list indent, so a narrow column or a phone keeps its width for the text. */
.claim-panel dl {{padding-left: 0;}}

/* A narrow main area (phone, tablet with the sidebar open): the map full width, the panel below it. */
@container claim-main (max-width: {STACK_BELOW}) {{
  {MAP_ROW} {{flex-wrap: wrap;}}
  {MAP_ROW} > [data-testid="stColumn"] {{flex: 1 1 100% !important; width: 100% !important; min-width: 100%;}}
}}

/* Side by side: the map stays in view, and a long claim panel scrolls in its own column, at most a screen high,
   so that the table and the timeline follow the map instead of thousands of pixels of panel. */
@container claim-main (min-width: {STACK_BELOW}) {{
  {MAP_ROW} > [data-testid="stColumn"]:has(iframe[title="streamlit_folium.st_folium"], iframe[data-claim-map]) {{
    position: sticky;
    top: {STICKY_TOP};
    align-self: flex-start;
  }}
  {MAP_ROW} > [data-testid="stColumn"]:not(:has(iframe[title="streamlit_folium.st_folium"], iframe[data-claim-map])) {{
    max-height: calc(100vh - {STICKY_TOP} - 1rem);
    overflow-y: auto;
    overscroll-behavior: contain;
  }}
}}

/* Phones: give the text the width, and keep long words, links and button labels inside it. */
@media (max-width: {PHONE_MAX}) {{
  .block-container {{padding-left: 0.75rem; padding-right: 0.75rem;}}
  .block-container h1 {{font-size: 2rem;}}
  .claim-panel, .sources-list {{overflow-wrap: anywhere;}}
  [data-testid="stDownloadButton"] button {{max-width: 100%; white-space: normal; text-align: left;}}
}}
</style>
"""
