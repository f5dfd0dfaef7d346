"""The shape of /api/v1/network/ for the OpenAPI schema (the view returns Network.as_dict())."""

from rest_framework import serializers


class NetworkNodeSerializer(serializers.Serializer):
    id = serializers.SlugField(help_text="The partner's slug.")
    name = serializers.CharField()
    acronym = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    sector = serializers.CharField(help_text="civil-society, government, security, international or other.")
    sector_label = serializers.CharField()
    country = serializers.CharField(allow_null=True, help_text="ISO code; null for regional bodies.")
    country_name = serializers.CharField()
    url = serializers.CharField()
    degree = serializers.IntegerField(help_text="Partners linked to this one.")
    weighted_degree = serializers.IntegerField(help_text="Sum of the weights of its links.")
    betweenness = serializers.FloatField(help_text="Normalised betweenness centrality (who bridges).")
    component = serializers.IntegerField(help_text="Its connected component, 1 being the largest.")


class NetworkEdgeSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="kind:source:target")
    source = serializers.SlugField()
    target = serializers.SlugField()
    kind = serializers.CharField(
        help_text="A relation type (member-of, founded, …), part-of, activity or case-study."
    )
    kind_label = serializers.CharField()
    directed = serializers.BooleanField()
    weight = serializers.IntegerField(help_text="Shared records (co-participation); 1 for a relation.")
    cross_border = serializers.BooleanField(help_text="The partners are based in different countries.")
    cross_sector = serializers.BooleanField(help_text="The partners are in different sectors.")
    records = serializers.ListField(child=serializers.CharField(), help_text="Keys into `records`.")


class NetworkRecordSerializer(serializers.Serializer):
    key = serializers.CharField()
    type = serializers.ChoiceField(choices=["activity", "case-study", "relation"])
    title = serializers.CharField()
    url = serializers.CharField()
    start = serializers.CharField(allow_null=True, help_text="ISO date at its precision: 2008, 2008-06…")
    end = serializers.CharField(allow_null=True)
    note = serializers.CharField()


class NetworkSerializer(serializers.Serializer):
    summary = serializers.DictField(child=serializers.IntegerField())
    nodes = NetworkNodeSerializer(many=True)
    edges = NetworkEdgeSerializer(many=True)
    records = serializers.DictField(child=NetworkRecordSerializer())
    components = serializers.ListField(child=serializers.ListField(child=serializers.SlugField()))
    cross_border = serializers.DictField()
    cross_sector = serializers.DictField()
