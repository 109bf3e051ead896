"""GET /api/v1/bulletins/?region=<code>&month=YYYY-MM: the bulletins as issued, with their figures."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as ApiValidationError

from shegong.accounts.roles import Cap
from shegong.api.endpoints import endpoint
from shegong.api.pagination import page_of, paginated
from shegong.api.serializers import Shown
from shegong.bulletins import selectors
from shegong.bulletins.models import Bulletin


class BulletinSerializer(Shown):
    region_name = serializers.CharField(source="region.name")
    month = serializers.SerializerMethodField()
    issue_number = serializers.IntegerField(help_text="第N期: numbered per issuing region and year")
    covers_until = serializers.DateField(allow_null=True, help_text="the last day counted (截至)")
    issued_by = serializers.CharField(source="issued_by.username")
    page = serializers.SerializerMethodField()
    xlsx = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField()
    docx = serializers.SerializerMethodField()

    class Meta:
        model = Bulletin
        fields = ("id", "region", "region_name", "month", "edition", "issue_number", "issuer_name")
        fields += ("covers_until", "issued_at", "issued_by", "figures", "page", "xlsx", "pdf", "docx")

    def get_month(self, obj) -> str:
        return obj.month.strftime("%Y-%m")

    def get_page(self, obj) -> str:
        return reverse("bulletins:bulletin_detail", args=[obj.pk])

    def get_xlsx(self, obj) -> str:
        return reverse("bulletins:bulletin_xlsx", args=[obj.pk])

    def get_pdf(self, obj) -> str:
        return reverse("bulletins:bulletin_pdf", args=[obj.pk])

    def get_docx(self, obj) -> str:
        return reverse("bulletins:bulletin_docx", args=[obj.pk])


@paginated
@extend_schema(
    parameters=[
        OpenApiParameter("region", str),
        OpenApiParameter("month", str, description="YYYY-MM", pattern=r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$"),
    ],
    responses=BulletinSerializer(many=True),
)
@endpoint(["GET"], Cap.DATA_VIEW)
def bulletin_list(request):
    """Bulletins of your jurisdiction as issued, newest first; filter by division code prefix and month."""
    q = request.query_params
    month = None
    if q.get("month"):
        month = selectors.parse_month(q["month"])
        if month is None:
            raise ApiValidationError({"month": [_("Give the month as 2025-03.")]})
    qs = selectors.bulletin_list(user=request.user, region=q.get("region", "")[:12], month=month)
    qs = (
        Bulletin.objects.filter(pk__in=qs.values("pk"))
        .select_related("region", "issued_by")
        .defer("html", "xlsx", "pdf", "docx")
    )
    qs = qs.order_by("-month", "region_id", "-edition")
    return page_of(request, qs, BulletinSerializer)
