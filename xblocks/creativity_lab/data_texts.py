"""The texts of this package's data files that learners read, for scripts/i18n."""
from .board import translatable_texts  # noqa: F401
