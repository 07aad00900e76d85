"""Headless subcommands of the ``aeviewer`` command line, one module each."""
