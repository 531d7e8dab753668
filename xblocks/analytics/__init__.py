"""Learning analytics: the suite's `bizmooc.*` tracking events as xAPI statements for Aspects.

Open edX's event-routing-backends (ERB, the `edx-event-routing-backends` package that
Aspects installs) turns tracking events into xAPI statements, but only events that have a
transformer registered. `transformers.py` registers one for each event listed in
`events.XAPI_EVENTS`; `apps.AnalyticsConfig.ready()` imports it only where ERB is an
installed Django app, so without ERB this app does nothing.
"""
