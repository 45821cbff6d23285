"""Fixtures shared by the whole suite, registered as pytest plugins by ``tests/conftest.py``."""
