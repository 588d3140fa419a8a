# Issue 15: the words of civic data (district names, seat labels, territories) in each language.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("districts", "0007_official_contacts"),
    ]

    operations = [
        migrations.AddField(
            model_name="area",
            name="translations",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='The same words in each other language, e.g. {"es": {"name": "Distrito 2"}}.',
                verbose_name="translations",
            ),
        ),
        migrations.AddField(
            model_name="boundaryset",
            name="translations",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='The same words in each other language, e.g. {"es": {"name": "Distrito 2"}}.',
                verbose_name="translations",
            ),
        ),
        migrations.AddField(
            model_name="post",
            name="translations",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='The same words in each other language, e.g. {"es": {"name": "Distrito 2"}}.',
                verbose_name="translations",
            ),
        ),
    ]
