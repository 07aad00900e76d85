"""Exceptions that carry a message meant for the user.

The CLI prints ``aeviewer: error: <message>`` for any of these and exits with status 2; the GUI
shows the message in a dialog.
"""


class AeviewerError(Exception):
    """Base class of every error whose message is written for the user."""


class DatasetError(AeviewerError):
    """A data source could not be read: names the file, what is wrong and where."""


class ConfigError(AeviewerError):
    """A model, data or training specification is invalid or impossible."""


class RunError(AeviewerError):
    """A run directory, checkpoint or saved model is missing, incomplete or inconsistent."""


class DeviceError(AeviewerError):
    """A requested compute device is not available on this machine."""
