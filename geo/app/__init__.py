"""The Streamlit page and its sections: the only code that imports streamlit."""
