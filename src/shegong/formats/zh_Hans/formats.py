# Chinese formats as statistics tables print them: Django's zh_Hans defaults plus a thousands separator
# (12,345 rather than 12345), which bureau reports and dashboards use.
from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
