"""Local development setup: the xblock-sdk workbench (the embedded default) and the Tutor plugin."""
