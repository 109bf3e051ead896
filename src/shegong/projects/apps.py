from django.utils.translation import gettext_lazy as _

from shegong.lib import audit_trail


class ProjectsConfig(audit_trail.AuditedAppConfig):
    name = "shegong.projects"
    label = "projects"
    verbose_name = _("Government-purchased service projects")
    audited = "__all__"
    audit_options = {"Project": {"m2m_fields": {"stations"}}}
