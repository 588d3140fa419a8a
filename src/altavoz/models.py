"""Abstract bases shared by every app's models."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicModel(models.Model):
    """A row whose id may appear in a URL: a random UUID, never a sequential number."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
