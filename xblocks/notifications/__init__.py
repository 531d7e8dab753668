"""Notifications: what the components tell a learner about the work of others.

A component calls `xblocks.notifications.api` after the action that causes a notification
(a review given, a comment posted, a board moved to voting, a staff reply); the API writes one
outbox row per recipient and, once the action's transaction commits, hands the message to the
platform: the grade through Open edX's own notifications (openedx-events), everything else
through edx-ace e-mail. See README, "Notifications".
"""
