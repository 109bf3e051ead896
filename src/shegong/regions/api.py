from django.db.models import Count
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from shegong.accounts.roles import Cap
from shegong.api.endpoints import endpoint
from shegong.api.pagination import page_of, paginated
from shegong.api.serializers import Shown
from shegong.regions import selectors
from shegong.regions.models import Region


class RegionSerializer(Shown):
    level_label = serializers.CharField()
    children_count = serializers.IntegerField()

    class Meta:
        model = Region
        fields = ("code", "name", "level", "level_label", "parent", "population", "population_year")
        fields += ("in_scope", "scope_reason", "children_count")


@paginated
@extend_schema(
    parameters=[
        OpenApiParameter("parent", str, description="children of this division code"),
        OpenApiParameter("search", str, description="name, pinyin initials or code prefix"),
        OpenApiParameter("level", int, description="1 province … 5 village"),
    ],
    responses=RegionSerializer(many=True),
)
@endpoint(["GET"], Cap.REGIONS_VIEW)
def region_list(request):
    """Divisions in your jurisdiction, filtered by parent, search term or level."""

    level = request.query_params.get("level")
    qs = (
        selectors.region_list(
            user=request.user,
            parent=request.query_params.get("parent", "").strip() or None,
            search=request.query_params.get("search", "").strip()[:30],
            level=int(level) if level and level.isdigit() else None,
        )
        .annotate(children_count=Count("children"))
        .order_by("code")
    )
    return page_of(request, qs, RegionSerializer)


@extend_schema(responses=RegionSerializer)
@endpoint(["GET"], Cap.REGIONS_VIEW)
def region_detail(request, code: str):
    """One division: code, name, level, parent, population, children count."""
    region = selectors.region_get(user=request.user, code=code)
    region.children_count = region.children.count()
    return Response(RegionSerializer(region).data)
