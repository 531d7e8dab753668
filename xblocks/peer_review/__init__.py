"""Peer review with rubrics, fair allocation and calibrated grades."""
