"""Abstract base models shared by every app."""

from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    """Creation and last-change times, maintained by Django."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
