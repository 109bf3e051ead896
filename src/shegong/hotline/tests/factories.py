"""Builders for hotline tests: tickets received in township 522301001 through the services."""

from shegong.casework.tests.factories import station
from shegong.clients.tests.factories import actor_for
from shegong.hotline import services
from shegong.regions.models import Region

TOWNSHIP = "522301001"


def make_ticket(code: str = TOWNSHIP, *, actor=None, category: str = "needs", assign: bool = False, **fields):
    actor = actor or actor_for(code)
    fields.setdefault("channel", "phone")
    fields.setdefault("summary", "独居老人反映家中断水，需要帮助")
    fields.setdefault("caller_name", "张女士")
    fields.setdefault("caller_phone", "13800005678")
    ticket = services.ticket_create(
        actor=actor, region=Region.objects.get(code=code), category=category, **fields
    )
    if assign:
        services.ticket_assign(actor=actor, ticket=ticket, station=station(code))
    return ticket
