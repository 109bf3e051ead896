from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "shegong.community"
    label = "community"
    verbose_name = _("Community")

    def ready(self) -> None:
        from shegong.community import models
        from shegong.lib.audit_trail import record_changes

        # As for workers: the birth date is eight of the ID number's digits (the encrypted columns are left out
        # of every model, lib/audit_trail.py). A balance changes with every ledger line, which is itself recorded.
        record_changes(models.Volunteer, exclude=["birth_date", "points_balance", "created_at", "updated_at"])
        record_changes(models.Team, models.WorkGroup, m2m_fields={"members"})
        record_changes(models.CharityFund, exclude=["balance"])
        record_changes(
            models.Activity,
            models.ActivityPhoto,
            models.SignUp,
            models.PointRule,
            models.PointEntry,
            models.CatalogueItem,
            models.Redemption,
            models.GroupSession,
            models.Organisation,
            models.Deliberation,
            models.DeliberationIssue,
            models.Donation,
            models.FundEntry,
            models.MutualAidProject,
            models.MatchingRule,
            models.MatchingPayment,
        )
