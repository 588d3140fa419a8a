import pytest
from django.core.management import call_command


def test_every_model_change_has_a_migration(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _migrate(*targets):
    """Migrate the named apps to these migrations (the others stay at their latest) and
    return the models as they were then."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    apps = {app for app, _ in targets}
    nodes = [n for n in executor.loader.graph.leaf_nodes() if n[0] not in apps] + list(targets)
    executor.migrate(nodes)
    return executor.loader.project_state(nodes).apps


@pytest.mark.django_db(transaction=True)
def test_groups_keep_the_deliveries_per_official_permission_through_its_rename():
    """OfficialOutbox became OfficialDeliveries: a group that could view the one can view
    the other, with no duplicate permission left behind."""
    old = _migrate(("delivery", "0003_outbox_organisation"))
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission, Group = old.get_model("auth", "Permission"), old.get_model("auth", "Group")
    kind, _ = ContentType.objects.get_or_create(app_label="delivery", model="officialoutbox")
    view, _ = Permission.objects.get_or_create(
        content_type=kind, codename="view_officialoutbox", defaults={"name": "Can view"}
    )
    Group.objects.create(name="Old organisers").permissions.add(view)
    try:
        new = _migrate(("delivery", "0004_official_deliveries"))
        group = new.get_model("auth", "Group").objects.get(name="Old organisers")
        codenames = list(group.permissions.values_list("codename", flat=True))
        assert codenames == ["view_officialdeliveries"]
        assert (
            not new.get_model("auth", "Permission")
            .objects.filter(codename__endswith="_officialoutbox")
            .exists()
        )
    finally:
        call_command("migrate", verbosity=0)
