"""The workbench's URLs plus Django's language switch (POST /i18n/setlang/)."""
from django.urls import include, path
from workbench.urls import urlpatterns as workbench_urlpatterns

urlpatterns = [path("i18n/", include("django.conf.urls.i18n"))] + workbench_urlpatterns
