"""The one paginator of the API: every list answers ``{count, next, previous, results}``, 50 to a page."""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    def get_paginated_response_schema(self, schema):
        """All four keys are always present; ``next`` and ``previous`` are null on the last and first page."""
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123},
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }


def paginated(view):
    """Mark a function view (below ``@api_view``) as answering pages of ``Pagination``, so the schema
    documents the page object rather than a bare list. The view itself pages with ``Pagination()``."""
    view.cls.pagination_class = Pagination
    return view
