# Issue 14: what people outside the districts may do; where a petition-only signer lives.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0006_signature_as_signed"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="nonresidents",
            field=models.CharField(
                choices=[
                    ("excluded", "They cannot take part"),
                    ("petition", "They may sign the petition, without a letter"),
                ],
                default="excluded",
                help_text="What someone whose address is outside the target districts may do. Their petition signatures are counted apart on the dashboard; no letter is ever sent.",
                max_length=10,
                verbose_name="people outside the districts",
            ),
        ),
        migrations.AddField(
            model_name="signature",
            name="outside_place",
            field=models.CharField(
                blank=True,
                help_text='Set when the address is outside the campaign\'s districts (petition only: no letter): where it is, e.g. "Hialeah".',
                max_length=200,
                verbose_name="lives outside the districts, in",
            ),
        ),
    ]
