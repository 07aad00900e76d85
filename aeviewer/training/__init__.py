"""The training loop as a generator of events, its controls, and run directories."""
