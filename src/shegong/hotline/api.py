"""/api/v1/tickets/: hotline tickets (GET lists, POST records a call), /api/v1/tickets/<id>/ and the handling
note. The same services as the pages; the caller's phone is masked."""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from shegong.accounts.roles import Cap
from shegong.api.endpoints import detail_endpoint, endpoint, list_endpoint, run_service, validated
from shegong.api.errors import service_errors
from shegong.api.serializers import Shown
from shegong.hotline import selectors, services
from shegong.hotline.lists import TICKETS
from shegong.hotline.models import Category, Channel, Ticket, Urgency
from shegong.lib.personal_data import mask
from shegong.regions.selectors import region_find


class TicketSerializer(Shown):
    number = serializers.CharField()  # a property of the ticket
    caller_phone = serializers.SerializerMethodField()
    crisis_flag = serializers.BooleanField(source="flagged")

    class Meta:
        model = Ticket
        fields = ("id", "number", "received_at", "channel", "caller_name", "caller_phone", "category")
        fields += ("urgency", "summary", "region", "station", "status", "respond_by", "resolve_by")
        fields += ("acted_at", "closed_at", "outcome", "crisis_flag", "person", "case")

    def get_caller_phone(self, obj) -> str:
        return mask("caller_phone", obj.caller_phone)


class TicketInput(serializers.Serializer):
    region = serializers.CharField(max_length=12)
    channel = serializers.ChoiceField(choices=Channel.choices)
    category = serializers.ChoiceField(choices=Category.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default=Urgency.NORMAL)
    summary = serializers.CharField(max_length=4000)
    received_at = serializers.DateTimeField(required=False)
    caller_name = serializers.CharField(max_length=50, required=False, default="", allow_blank=True)
    caller_phone = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)


class NoteInput(serializers.Serializer):
    text = serializers.CharField(max_length=4000)


def _ticket_post(request):
    if not request.user.can(Cap.DATA_EDIT):
        raise PermissionDenied
    data = validated(TicketInput, request)
    region = region_find(user=request.user, code=data.pop("region"))
    with service_errors():
        if region is None:
            raise ValidationError({"region": "division outside your jurisdiction"})
        ticket = services.ticket_create(actor=request.user, region=region, **data)
    return ticket


ticket_list = list_endpoint(
    TICKETS,
    TicketSerializer,
    "Hotline tickets of your jurisdiction; POST records a call or message (needs data.edit).",
    create=(TicketInput, _ticket_post),
)


ticket_detail = detail_endpoint(selectors.ticket_get, TicketSerializer)


@extend_schema(request=NoteInput, responses=TicketSerializer)
@endpoint(["POST"], Cap.DATA_EDIT)
def ticket_note(request, pk: int):
    """Record what was done; the first note is the response and clears a crisis flag."""
    ticket = selectors.ticket_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    data = validated(NoteInput, request)
    run_service(services.ticket_note_add, actor=request.user, ticket=ticket, text=data["text"])
    ticket.refresh_from_db()
    return Response(TicketSerializer(ticket).data)
