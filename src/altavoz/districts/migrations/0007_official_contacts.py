# Issue 14: an official's website, and where their contact channels come from (and when).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("districts", "0006_boundaryset_places"),
    ]

    operations = [
        migrations.AddField(
            model_name="official",
            name="website",
            field=models.CharField(
                blank=True,
                help_text="As the source publishes it.",
                max_length=200,
                verbose_name="website",
            ),
        ),
        migrations.AddField(
            model_name="official",
            name="contact_source",
            field=models.CharField(
                blank=True,
                help_text="Where the email, phone and website come from. Update it with them.",
                max_length=500,
                verbose_name="contacts source",
            ),
        ),
        migrations.AddField(
            model_name="official",
            name="contact_as_of",
            field=models.DateField(blank=True, null=True, verbose_name="contacts as of"),
        ),
    ]
