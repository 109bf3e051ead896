"""api/serializers.py Shown: an answer's model fields as stored, without the limits of input."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework import serializers

from shegong.api.serializers import Shown
from shegong.regions.models import Level, Region


class _RegionShown(Shown):
    class Meta:
        model = Region
        fields = ("code", "name", "level", "parent", "population", "in_scope")


def test_a_model_field_is_shown_as_stored_and_a_relation_as_its_key():
    fields = _RegionShown().fields
    assert [type(fields[name]) for name in _RegionShown.Meta.fields] == [
        serializers.CharField,
        serializers.CharField,
        serializers.IntegerField,  # a choice of whole numbers: the number, not the choice list
        serializers.CharField,  # the parent's code
        serializers.BigIntegerField,  # an int, as IntegerField shows it (COERCE_BIG_INT_TO_STRING is off)
        serializers.BooleanField,
    ]
    assert fields["name"].max_length is None and fields["name"].required and not fields["name"].read_only
    assert fields["parent"].source == "parent_id" and fields["parent"].allow_null
    assert fields["population"].allow_null and not fields["code"].allow_null
    region = Region(code="522301", name="兴义市", level=Level.COUNTY, parent_id="5223", population=None)
    assert _RegionShown(region).data == {
        "code": "522301",
        "name": "兴义市",
        "level": Level.COUNTY,
        "parent": "5223",
        "population": None,
        "in_scope": True,
    }


def test_a_property_named_in_the_fields_is_to_be_declared():
    class Labelled(Shown):
        class Meta:
            model = Region
            fields = ("code", "level_label")

    with pytest.raises(ImproperlyConfigured, match="level_label"):
        _ = Labelled().fields
