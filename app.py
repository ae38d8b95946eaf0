"""Claim Map: the Streamlit page. Run it with ``streamlit run app.py``."""

from geo.app.page import main

main()
