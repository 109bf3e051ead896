import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings")
application = get_wsgi_application()

# What start-up made (Django, the apps, the URL patterns, the translations: about 350,000 objects) lives as long
# as the process. Frozen, the collector's full collections no longer walk it: a province's workbench paid
# 100-140 ms of CPU for one every eight requests or so, 1-15 ms after (docs/performance.md, eighth part).
gc.collect()
gc.freeze()
