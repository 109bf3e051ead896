"""Serializer parts that several domains' APIs show alike."""

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from rest_framework import serializers


# An answer of a model's rows: the model fields named in ``Meta.fields`` as they are stored (text, a number, a
# date, a relation as its key: ``station`` the station's id) and None where the model allows it, without the limits
# of input (length, choices, required), which an answer does not carry. A field shown otherwise (a related name, a
# count, a label) is declared as on any serializer and named in ``fields``. (No docstring: the schema would take it
# as every answer's description.)
class Shown(serializers.ModelSerializer):
    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if field_class is serializers.ChoiceField:
            integer = isinstance(model_field, models.IntegerField)
            field_class = serializers.IntegerField if integer else serializers.CharField
        shown = {name: kwargs[name] for name in ("max_digits", "decimal_places") if name in kwargs}
        return field_class, {**shown, **({"allow_null": True} if model_field.null else {})}

    def build_property_field(self, field_name, model_class):
        # A property (a case's number) has no type the schema could tell: it is declared, as any computed field.
        raise ImproperlyConfigured(f"{model_class.__name__}.{field_name} is not a model field: declare it.")

    def build_relational_field(self, field_name, relation_info):
        key = relation_info.model_field
        field_class, kwargs = self.build_standard_field(field_name, key.target_field)
        return field_class, {**kwargs, "source": key.attname, **({"allow_null": True} if key.null else {})}


class MaskedPersonSerializer(Shown):
    """A person registered with an ID number and phone (a volunteer, a worker): both masked, whoever asks
    (``lib/pii.py`` MaskedNumbers); the domain's serializer adds its own fields after these."""

    # The domain's Meta names the model and ``fields = (*MaskedPersonSerializer.Meta.fields, ...)``.

    id_number_masked = serializers.CharField()
    phone_masked = serializers.CharField()

    class Meta:
        fields = ("id", "name", "sex", "id_number_masked", "phone_masked", "region")


# The answer of a figures endpoint for a division and each of its children: the day counted, the division's figures
# and its children's; the endpoint's serializer adds its own parts. (No docstring: the schema would take it as
# every such answer's description.)
class FiguresByDivision(serializers.Serializer):
    as_of = serializers.DateField()
    region = serializers.DictField()
    children = serializers.ListField(child=serializers.DictField())
