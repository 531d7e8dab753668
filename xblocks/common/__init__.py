"""What every BizMOOC block shares: rendering, the platform seams (seams.py: identity,
permissions, translations, static files, retirement), the JSON handler contract, events,
exports, operator settings and the browser helper.

Nothing here imports a component; components meet only through this package.
"""
