"""BizMOOC XBlocks: the suite's root package.

A regular package, not a namespace one: the platform finds a block's translations under
`xblocks/translations/` (the root module of every block class) and its static files by
walking this folder with `importlib.resources`, which fails on a namespace package
(see `xblocks.common.seams`).
"""

# The one place the suite's version is written: setup.py reads it, CHANGELOG.md names it, and the
# Tutor plugin released with it (devstack/tutor/tutorbizmooc/__about__.py) must match (tested).
__version__ = "0.2.0"
