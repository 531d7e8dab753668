"""The texts of this package's data files that learners read, for scripts/i18n."""
from .rubric import translatable_texts  # noqa: F401
