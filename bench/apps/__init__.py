"""The two Streamlit pages the benchmark measures the app against: the floor (bare) and the naive page."""
