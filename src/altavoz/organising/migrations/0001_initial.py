# Issue 16: problems with live campaigns' targets, told to their organisers once.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("campaigns", "0009_organisation_status"),
        ("districts", "0007_official_contacts"),
    ]

    operations = [
        migrations.CreateModel(
            name="TargetAlert",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("vacant", "Nobody holds the seat"),
                            ("no_address", "No delivery address"),
                            ("held", "Address change waiting for confirmation"),
                        ],
                        max_length=12,
                        verbose_name="problem",
                    ),
                ),
                ("text", models.TextField(verbose_name="what organisers were told")),
                ("noticed_at", models.DateTimeField(auto_now_add=True, verbose_name="noticed")),
                (
                    "emailed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="organisers emailed"),
                ),
                (
                    "resolved_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="resolved"),
                ),
                (
                    "campaign",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="campaigns.campaign",
                        verbose_name="campaign",
                    ),
                ),
                (
                    "official",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="districts.official",
                        verbose_name="official",
                    ),
                ),
                (
                    "post",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="districts.post",
                        verbose_name="seat",
                    ),
                ),
            ],
            options={
                "verbose_name": "target alert",
                "verbose_name_plural": "target alerts",
                "ordering": ["-noticed_at"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("resolved_at__isnull", True)),
                        fields=("campaign", "post", "kind"),
                        name="targetalert_open_once",
                    )
                ],
            },
        ),
    ]
