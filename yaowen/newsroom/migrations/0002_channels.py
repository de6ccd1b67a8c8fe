"""Seed the platform's default channels."""

from django.db import migrations

from yaowen.newsroom.channels import DEFAULT_CHANNELS, channels_seed


def seed(apps, schema_editor):
    channels_seed(apps.get_model("newsroom", "Channel"))


def unseed(apps, schema_editor):
    apps.get_model("newsroom", "Channel").objects.filter(
        slug__in=[row[0] for row in DEFAULT_CHANNELS], articles__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
