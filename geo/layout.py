"""Page-level CSS for the Streamlit page (desktop and phone-sized screens)."""

from __future__ import annotations

PAGE_CSS = """
<style>
.block-container {padding-top: 2.5rem;}
</style>
"""
