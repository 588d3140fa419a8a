from django.db import migrations, models


def copy_from_person(apps, schema_editor):
    """Signatures made before kept their signer's details on the person only."""
    Signature = apps.get_model("campaigns", "Signature")
    for signature in Signature.objects.select_related("person").iterator(chunk_size=2000):
        person = signature.person
        Signature.objects.filter(pk=signature.pk).update(
            first_name=person.first_name,
            last_name=person.last_name,
            street_address=person.street_address,
            zip_code=person.zip_code,
            consent_updates=person.consent_updates,
        )


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0005_translations")]

    operations = [
        *[
            migrations.AddField(
                model_name="signature",
                name=name,
                field=models.CharField(max_length=length, verbose_name=label, default=""),
                preserve_default=False,
            )
            for name, length, label in [
                ("first_name", 100, "first name"),
                ("last_name", 100, "last name"),
                ("street_address", 200, "street address"),
                ("zip_code", 10, "ZIP code"),
            ]
        ],
        migrations.AddField(
            model_name="signature",
            name="district_verified",
            field=models.BooleanField(
                default=False,
                help_text="On when the address (or a point on the map) was found in this district; off when the signer chose it and the address could not be checked.",
                verbose_name="district from the map",
            ),
        ),
        migrations.AddField(
            model_name="signature",
            name="consent_updates",
            field=models.BooleanField(
                default=False,
                help_text="What the signer ticked. It reaches the person's record only once the email address is proven theirs (or when the person is new).",
                verbose_name="asked for updates",
            ),
        ),
        migrations.AddField(
            model_name="signature",
            name="revision",
            field=models.PositiveIntegerField(
                default=0,
                help_text="One more on each change; a link names the revision it shows.",
                verbose_name="revision",
            ),
        ),
        migrations.AddField(
            model_name="campaign",
            name="require_verified_address",
            field=models.BooleanField(
                default=False,
                help_text="On: a signature needs an address the geocoder finds in a district (or a point on the map). Off: when the address cannot be checked, the signer chooses the district and the letter says it was chosen, not verified.",
                verbose_name="only addresses found on the map",
            ),
        ),
        migrations.RunPython(copy_from_person, migrations.RunPython.noop),
    ]
