"""The centre tabs of the main window, one module each."""
