# Issue 14: the municipalities named when an address is outside a set's territory.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("districts", "0005_official_address_audit"),
    ]

    operations = [
        migrations.AddField(
            model_name="boundaryset",
            name="places",
            field=models.SlugField(
                blank=True,
                help_text='The boundary set (slug) of the municipalities around this territory: an address outside it is told where it is ("in Hialeah, not in the City of Miami").',
                max_length=100,
                verbose_name="places around it",
            ),
        ),
    ]
