"""Messages to users. Each has a unique key, so the same event never tells the same person twice,
however often the code that sends it runs (retries, two workers)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.kinds import render


class Message(models.Model):
    key = models.CharField(max_length=255, unique=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="messages")
    kind = models.CharField(_("kind"), max_length=48, db_index=True)
    params = models.JSONField(default=dict, blank=True)
    link = models.CharField(_("link"), max_length=255, blank=True)
    notice = models.ForeignKey("cases.Notice", verbose_name=_("notice"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="messages")
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="message_recipient_unread")]

    def __str__(self):
        return self.subject

    @property
    def subject(self) -> str:
        return render(self.kind, self.params)[0]

    @property
    def body(self) -> str:
        return render(self.kind, self.params)[1]
