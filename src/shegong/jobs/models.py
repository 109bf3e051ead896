import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A background job (import, export, report) as the user sees it: who started it, how far it is,
    and its result. The work itself is queued with django-tasks; this row carries progress and output,
    and the uploaded file, so that a worker on another machine can read it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs")
    scope_code = models.CharField(max_length=12, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    params = models.JSONField(default=dict, blank=True)
    input_name = models.CharField(max_length=255, blank=True)
    input_data = models.BinaryField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    output_name = models.CharField(max_length=255, blank=True)
    output_data = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def rejected(self) -> bool:
        """The job ran to the end but refused its input (an import with errors writes nothing)."""
        return self.status == JobStatus.SUCCEEDED and self.result.get("ok") is False

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class JobOutputPart(models.Model):
    """A piece of a job's output file (at most ``PART_SIZE`` bytes). A large export is stored piece by piece
    as it is copied from its temporary file and streamed back the same way on download, so neither the
    worker nor the web process holds the whole file; small outputs stay in ``Job.output_data``."""

    PART_SIZE = 1 << 20

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="output_parts")
    number = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="jobs_output_part_once")]

    def __str__(self) -> str:
        return f"{self.job_id} #{self.number}"
