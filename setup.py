"""Packaging for bizmooc-xblocks: one distribution carrying every BizMOOC component.

`xblocks` is a regular package (the platform looks for its catalogue and static files by
that name), and `package_data` lists the non-Python files (templates, static assets, data,
the suite's one translation catalogue) that a plain `pip install .` or a wheel must carry.
The dependency ranges accept every supported Open edX release (README, "Supported
platforms"): Teak pins XBlock 5.2 and Django 4.2, Verawood XBlock 6 and Django 5.2.
"""
import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).resolve().parent
# The version lives in xblocks/__init__.py only; read, not imported (nothing installed yet).
VERSION = re.search(r'^__version__ = "([^"]+)"$', (HERE / "xblocks" / "__init__.py").read_text("utf-8"), re.M)[1]

PACKAGE_DATA_PATTERNS = [
    "templates/**/*.html",
    "templates/**/*.txt",  # edx-ace email subjects and plain-text bodies (xblocks/notifications)
    "static/**/*.js",
    "static/**/*.css",
    "static/**/*.svg",
    "data/*.json",
    "data/*/*.json",
    "conf/locale/*/LC_MESSAGES/*.po",
    "conf/locale/*/LC_MESSAGES/*.mo",
    "translations/*/LC_MESSAGES/*.po",
    "translations/*/LC_MESSAGES/*.mo",
]

COMPONENTS = {
    "bizmooc_reflection_journal": "xblocks.learning_to_learn.reflection_journal:ReflectionJournalBlock",
    "bizmooc_self_assessment": "xblocks.learning_to_learn.self_assessment:SelfAssessmentBlock",
    "bizmooc_canvas": "xblocks.initiative_canvas.canvas_block:CanvasBlock",
    "bizmooc_idea_board": "xblocks.creativity_lab.idea_board:IdeaBoardBlock",
    "bizmooc_peer_review": "xblocks.peer_review.peer_review:PeerReviewBlock",
}

PLUGIN_APPS = [
    "bizmooc_learning_to_learn = xblocks.learning_to_learn.apps:LearningToLearnConfig",
    "bizmooc_initiative_canvas = xblocks.initiative_canvas.apps:InitiativeCanvasConfig",
    "bizmooc_creativity_lab = xblocks.creativity_lab.apps:CreativityLabConfig",
    "bizmooc_peer_review = xblocks.peer_review.apps:PeerReviewConfig",
    "bizmooc_analytics = xblocks.analytics.apps:AnalyticsConfig",
    "bizmooc_notifications = xblocks.notifications.apps:NotificationsConfig",
]

setup(
    name="bizmooc-xblocks",
    version=VERSION,
    description="Didactic components of the BizMOOC pilot MOOCs as Open edX XBlocks",
    long_description=(HERE / "README.md").read_text("utf-8"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-only",
    python_requires=">=3.12",
    packages=find_packages(include=["xblocks", "xblocks.*"]),
    package_data={"": PACKAGE_DATA_PATTERNS},
    include_package_data=False,
    install_requires=[
        "XBlock>=5.2,<7",
        "web-fragments>=2.0",
        "Django>=4.2,<6.0",
        "lxml>=5.0",
        "nh3>=0.2.14",
    ],
    extras_require={
        "test": [
            "xblock-sdk==0.15.2",
            "setuptools<81",
            "pytest>=8",
            "pytest-django>=4.8",
            "playwright>=1.45",
            "PyMySQL>=1.1",
            "ruff>=0.6",
            "edx-opaque-keys",  # the platform's keys (the sample-course test); XBlock 5.2 does not bring it
            "build",  # the release check: python -m build, then twine check
            "twine",
            "wheel",  # pyproject.toml's build requirement, for the build without isolation
            # tests/analytics: the xAPI transformers on the real library (Aspects brings it in production)
            "edx-event-routing-backends",
            # tests/notifications: the platform's notification event and email engine (the LMS brings both)
            "openedx-events",
            "edx-ace",
            # tests/dates: the platform's course dates (the learner's Dates tab, relative dates)
            "edx-when",
        ],
        "benchmark": [
            "xblock-sdk==0.15.2",
            "setuptools<81",
            "xblock-free-text-response",
            "PyMySQL>=1.1",
        ],
    },
    entry_points={
        "xblock.v1": [f"{name} = {target}" for name, target in COMPONENTS.items()],
        "lms.djangoapp": PLUGIN_APPS,
        "cms.djangoapp": PLUGIN_APPS,
    },
    classifiers=[
        "Framework :: Django :: 4.2",
        "Framework :: Django :: 5.2",
        "Programming Language :: Python :: 3.12",
    ],
)
