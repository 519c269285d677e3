"""The Curators and Editors groups with their permissions (lantern.accounts.roles).

Django creates permissions after all migrations have run (post_migrate), so on a
fresh database they do not exist yet here: they are created first, for every app,
with the historical models."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    from lantern.accounts.roles import sync_roles

    for app_config in apps.get_app_configs():
        # create_permissions skips apps whose models module is unset (as in
        # migrations' app registry).
        app_config.models_module = True
        create_permissions(
            app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps
        )
        app_config.models_module = None
    sync_roles(apps)


def remove_roles(apps, schema_editor):
    from lantern.accounts.roles import CURATORS, EDITORS

    apps.get_model("auth", "Group").objects.filter(name__in=[CURATORS, EDITORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("library", "0005_topic_suggestions"),
        ("teaching", "0001_initial"),
        ("capture", "0001_initial"),
        ("linkcheck", "0001_initial"),
        ("core", "0002_job_wayback"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
