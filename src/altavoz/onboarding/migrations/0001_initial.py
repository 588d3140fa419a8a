# Issue 16: requests to start using Altavoz (a pending organisation, decided by platform staff).

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("campaigns", "0009_organisation_status"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="OrganisationRequest",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "requester_name",
                    models.CharField(max_length=200, verbose_name="requester's name"),
                ),
                (
                    "requester_email",
                    models.EmailField(max_length=254, verbose_name="requester's email"),
                ),
                ("website", models.CharField(blank=True, max_length=200, verbose_name="website")),
                ("plans", models.TextField(blank=True, verbose_name="what they will campaign on")),
                (
                    "language",
                    models.CharField(default="en", max_length=10, verbose_name="language"),
                ),
                (
                    "ip_hash",
                    models.CharField(blank=True, max_length=64, verbose_name="IP address hash"),
                ),
                (
                    "decided_by",
                    models.CharField(blank=True, max_length=200, verbose_name="decided by"),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided")),
                (
                    "invited_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="The link in the latest invitation works once, for 7 days; sending a new one makes the older links stop working.",
                        null=True,
                        verbose_name="invitation sent",
                    ),
                ),
                (
                    "accepted_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="accepted"),
                ),
                (
                    "accepted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="first organiser",
                    ),
                ),
                (
                    "organisation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="request",
                        to="campaigns.organisation",
                        verbose_name="organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "request to start using Altavoz",
                "verbose_name_plural": "requests to start using Altavoz",
                "ordering": ["-created_at"],
            },
        ),
    ]
