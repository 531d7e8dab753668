"""Remind learners who still owe peer reviews (README, "Notifications"); run it from cron, e.g.
daily: `./manage.py lms bizmooc_send_review_reminders --every-days 3`."""
from django.core.management.base import BaseCommand

from xblocks.notifications.reminders import send_review_reminders


class Command(BaseCommand):
    help = "E-mail learners who still owe peer reviews, at most once per block every --every-days days."

    def add_arguments(self, parser):
        parser.add_argument("--every-days", type=int, default=3,
                            help="remind a learner about one block at most once in this many days (default 3)")

    def handle(self, *args, **options):
        if options["every_days"] < 1:
            self.stderr.write("--every-days must be at least 1")
            return
        sent = send_review_reminders(every_days=options["every_days"])
        self.stdout.write(f"{sent} review reminder(s) queued")
