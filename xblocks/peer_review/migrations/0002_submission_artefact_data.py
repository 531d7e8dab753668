# A submitted artefact is kept as the provider's snapshot, rendered in the reader's language.
# Rows from before keep their artefact_html (still shown for them) and get {} here: a plain
# AddField, which Django fills in on SQLite and MariaDB/MySQL alike (a default it drops again,
# or an UPDATE on MySQL before 8.0.13, which takes no default on a JSON column).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('bizmooc_peer_review', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='submission',
            name='artefact_data',
            field=models.JSONField(blank=True, default=dict, help_text="The provider's snapshot at submit time."),
        ),
    ]
