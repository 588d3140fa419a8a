# Issue 15: who reviewed a campaign translation as a native speaker, when, and which texts.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0007_nonresidents"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaigntranslation",
            name="reviewed_by",
            field=models.CharField(
                blank=True,
                help_text="Who read these texts against the English as a native speaker of this language. Leave empty until someone has: the admin then shows this language as not reviewed, and publishing asks you to confirm.",
                max_length=200,
                verbose_name="reviewed by (native speaker)",
            ),
        ),
        migrations.AddField(
            model_name="campaigntranslation",
            name="reviewed_on",
            field=models.DateField(blank=True, null=True, verbose_name="reviewed on"),
        ),
        migrations.AddField(
            model_name="campaigntranslation",
            name="reviewed_texts",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=64,
                verbose_name="fingerprint of the texts reviewed",
            ),
        ),
    ]
