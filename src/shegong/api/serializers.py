"""Serializer parts that several domains' APIs show alike."""

from rest_framework import serializers


class MaskedPersonSerializer(serializers.Serializer):
    """A person registered with an ID number and phone (a volunteer, a worker): both masked, whoever asks
    (``lib/pii.py`` MaskedNumbers); the domain's serializer adds its own fields after these."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    sex = serializers.CharField()
    id_number_masked = serializers.CharField()
    phone_masked = serializers.CharField()
    region = serializers.CharField(source="region_id")
