# Data only. Journal prompts were stored HTML-escaped ("Strengths &amp; weaknesses"): nh3
# returns HTML even with no tags allowed. Entries saved since keep the text a person reads
# (xblocks.common.text.plain_text); this decodes the older ones once, in batches by primary key.

import html

from django.db import migrations

BATCH = 1000


def unescape_prompt_text(apps, schema_editor):
    JournalEntry = apps.get_model("bizmooc_learning_to_learn", "JournalEntry")
    entries = JournalEntry.objects.using(schema_editor.connection.alias).filter(prompt_text__contains="&")
    last = 0
    while True:
        batch = list(entries.filter(pk__gt=last).order_by("pk").only("pk", "prompt_text")[:BATCH])
        if not batch:
            return
        last = batch[-1].pk
        changed = [entry for entry in batch if html.unescape(entry.prompt_text) != entry.prompt_text]
        for entry in changed:
            entry.prompt_text = html.unescape(entry.prompt_text)
        JournalEntry.objects.using(schema_editor.connection.alias).bulk_update(changed, ["prompt_text"])


class Migration(migrations.Migration):

    dependencies = [
        ('bizmooc_learning_to_learn', '0003_journal_entry_public_id'),
    ]

    operations = [
        migrations.RunPython(unescape_prompt_text, migrations.RunPython.noop, elidable=True),
    ]
