from django.db import migrations, models


class Migration(migrations.Migration):
    """Push takes the shared queue's columns (altavoz.models.Queued): the identifier the
    other system gave is its provider_id."""

    dependencies = [("sync", "0001_initial")]

    operations = [
        migrations.RenameField("push", "remote_id", "provider_id"),
        migrations.AlterField(
            model_name="push",
            name="claimed_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When a worker took the row to send it; a stale claim is taken back.",
                null=True,
                verbose_name="claimed",
            ),
        ),
        migrations.AlterField(
            model_name="push",
            name="provider_id",
            field=models.CharField(blank=True, max_length=200, verbose_name="provider message id"),
        ),
        migrations.AlterField(
            model_name="push",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("sending", "Sending"),
                    ("sent", "Sent"),
                    ("failed", "Failed"),
                    ("bounced", "Bounced"),
                    ("cancelled", "Cancelled"),
                ],
                default="queued",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="pushattempt",
            name="outcome",
            field=models.CharField(
                choices=[
                    ("sent", "Sent"),
                    ("retry", "Failed, will retry"),
                    ("failed", "Failed for good"),
                    ("interrupted", "Interrupted (worker stopped mid-send)"),
                ],
                max_length=12,
                verbose_name="outcome",
            ),
        ),
    ]
