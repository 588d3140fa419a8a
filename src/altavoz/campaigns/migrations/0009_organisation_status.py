# Issue 16: an organisation asked for through the public form waits, pending, for platform staff.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0008_translation_review"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="status",
            field=models.CharField(
                choices=[
                    ("active", "Active"),
                    ("pending", "Waiting for platform staff"),
                    ("declined", "Declined"),
                ],
                default="active",
                max_length=10,
                verbose_name="status",
            ),
        ),
    ]
