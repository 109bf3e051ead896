import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


def job_files():
    """The private storage of jobs' uploaded files (``STORAGES["jobs"]``): never served over HTTP, as the
    files carry ID numbers in clear; a worker on another machine needs the same directory mounted."""
    return storages["jobs"]


def _upload_name(job, filename: str) -> str:
    # The job's id, not the user's file name: the name may itself carry a person's name.
    return f"uploads/{job.pk}.upload"


class Job(models.Model):
    """A background job (import, export, report) as the user sees it: who started it, how far it is,
    and its result. The work itself is queued with django-tasks; this row carries progress and output,
    and names the uploaded file (in private storage), so that a worker on another machine can read it.

    A running job holds a lease (``lease_until``) that its worker renews as it reports progress and on a
    timer; a job whose lease ran out has lost its worker (killed, out of memory, machine restarted) and is
    failed or retried by jobs/recovery.py."""

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
    input_file = models.FileField(storage=job_files, upload_to=_upload_name, max_length=255, blank=True)
    result = models.JSONField(default=dict, blank=True)
    output_name = models.CharField(max_length=255, blank=True)
    output_data = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

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

    def open_input(self):
        """The uploaded file, opened for reading in binary (a context manager); read by the worker in pieces,
        never whole into memory."""
        return self.input_file.open("rb")

    def forget_input(self) -> None:
        """Delete the uploaded file (it carries personal data) and clear its name on the row."""
        if self.input_file:
            self.input_file.delete(save=False)
        Job.objects.filter(pk=self.pk).update(input_file="")


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


class JobWrite(models.Model):
    """What a job wrote in one committed batch, so that a job that fails later (or whose worker dies) can
    take it back and stay all-or-nothing although it wrote in short transactions (SQLite: see
    jobs/journal.py). ``created`` lists the ids of inserted rows; ``before`` the rows' stored column values
    before an update, as the database holds them (encrypted fields stay encrypted)."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="writes")
    table = models.CharField(max_length=100)
    created = models.JSONField(default=list)
    before = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.job_id} {self.table}"
