"""Files in and out: atomic writes, models, sessions, run directories."""
