"""PySide6 counter application (the GUI adapter over medins_desk services)."""
