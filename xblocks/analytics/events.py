"""The suite's events that have an xAPI transformer (importable without ERB).

Operators add these names to ERB's event whitelists (README, "Learning analytics (xAPI)"):
ERB's `event_transformer` backend drops every event whose name is not listed there, before
any transformer sees it.
"""

XAPI_EVENTS = (
    "bizmooc.reflection_journal.submitted",
    "bizmooc.reflection_journal.revised",
    "bizmooc.self_assessment.submitted",
    "bizmooc.self_assessment.revised",
    "bizmooc.canvas.created",
    "bizmooc.canvas.snapshot_created",
    "bizmooc.canvas.exported",
    "bizmooc.idea_board.posted",
    "bizmooc.idea_board.commented",
    "bizmooc.idea_board.voted",
    "bizmooc.peer_review.submitted",
    "bizmooc.peer_review.review_submitted",
    "bizmooc.peer_review.self_reviewed",
    "bizmooc.peer_review.graded",
)
