from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "shegong.community"
    label = "community"
    verbose_name = _("Community")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from shegong.community import models

        # As for workers and people served: the encrypted columns would put the clear value into the trail, and
        # the birth date is eight of the ID number's digits. The balance changes with every ledger line, which
        # is itself recorded.
        auditlog.register(
            models.Volunteer,
            exclude_fields=[
                "id_number",
                "id_number_hash",
                "phone",
                "phone_hash",
                "birth_date",
                "points_balance",
                "created_at",
                "updated_at",
            ],
        )
        auditlog.register(models.Team, m2m_fields={"members"})
        auditlog.register(models.WorkGroup, m2m_fields={"members"})
        auditlog.register(models.CharityFund, exclude_fields=["balance"])
        for model in (
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
        ):
            auditlog.register(model)
