# Issue 16: a campaign may also write to seats elected by the whole territory (a mayor).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0009_organisation_status"),
        ("districts", "0007_official_contacts"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="at_large_sets",
            field=models.ManyToManyField(
                blank=True,
                help_text="Seats elected by the whole territory (one area, such as the City of Miami's Mayor): every supporter's letter goes to them too.",
                related_name="+",
                to="districts.boundaryset",
                verbose_name="also write to",
            ),
        ),
    ]
