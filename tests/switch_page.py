"""A page with the Claim Map page's layer switch, in a fragment as there, and none of the sections it reruns.

Run by tests/e2e/test_switches_browser.py: a switch whose sections are missing must rerun the whole page.
"""

import sys
from pathlib import Path

import streamlit as st

# Streamlit runs this file as a script: make the repository importable whatever the working folder.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from geo.app import toggles  # noqa: E402

#: How many times the page ran whole; a fragment's rerun leaves it as it was.
st.session_state["whole runs"] = st.session_state.get("whole runs", 0) + 1
st.title(f"Whole runs: {st.session_state['whole runs']}")


@st.fragment(key=toggles.CONTROLS_FRAGMENT)
def controls():
    st.checkbox("A layer", key=toggles.layer_key("a"), on_change=toggles.rerun_dependents)


controls()
