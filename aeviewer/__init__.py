"""aeviewer: see autoencoders learn."""

__version__ = "0.1.0"
