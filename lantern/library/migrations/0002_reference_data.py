"""Load countries, neighbours, topics, series and TIP tiers (reference facts)."""

from django.db import migrations


def load(apps, schema_editor):
    from lantern.library.reference import load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
