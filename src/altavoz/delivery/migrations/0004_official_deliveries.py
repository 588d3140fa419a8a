"""OfficialOutbox -> OfficialDeliveries ("outbox" now means only the demo's mailbox).

The content type follows the rename (Django's contenttypes renames it); its permissions are
renamed here, so groups that held "view official outbox" keep the same permission."""

from django.db import migrations

OLD, NEW = "officialoutbox", "officialdeliveries"


def _rename_permissions(apps, old: str, new: str) -> None:
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(
        content_type__app_label="delivery", codename__endswith=f"_{old}"
    ):
        action = permission.codename.rsplit("_", 1)[0]
        permission.codename = f"{action}_{new}"
        permission.name = (
            f"Can {action} deliveries per official"
            if new == NEW
            else (f"Can {action} outbox per official")
        )
        permission.save(update_fields=["codename", "name"])


def forwards(apps, schema_editor):
    _rename_permissions(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _rename_permissions(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("delivery", "0003_outbox_organisation"),
        ("districts", "0008_translations"),
    ]

    operations = [
        migrations.RenameModel(old_name="OfficialOutbox", new_name="OfficialDeliveries"),
        migrations.AlterModelOptions(
            name="officialdeliveries",
            options={
                "verbose_name": "deliveries per official",
                "verbose_name_plural": "deliveries per official",
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
