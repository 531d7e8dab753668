"""The workbench's URLs, made to behave as the platform does (see devstack/platform_services.py
and devstack/static_files.py), plus Django's language switch (POST /i18n/setlang/).

- /studio/scenario/<id>/<studio_view|author_view>/ and /studio/handler/...: Studio. The same
  workbench views, with Studio's runtime: the editor's handler calls go to /studio/handler/
  (devstack/templates/workbench/block.html), so a save takes the path it takes in Studio.
- /resource/<block type>/<uri>: blocks' JS and CSS from the collected static files.
- everything else: the workbench, with the LMS's runtime.
"""
import functools

from django.urls import include, path, re_path
from workbench import views as workbench_views
from workbench.urls import urlpatterns as workbench_urlpatterns

from .notifications_page import notifications_page
from .platform_services import IN_STUDIO, runtime_for_request
from .static_files import collected_resource

# The workbench's views build `WorkbenchRuntime(student_id)`: give them the platform's services.
workbench_views.WorkbenchRuntime = runtime_for_request


def in_studio(view):
    @functools.wraps(view)
    def studio_view(*args, **kwargs):
        token = IN_STUDIO.set(True)
        try:
            return view(*args, **kwargs)
        finally:
            IN_STUDIO.reset(token)

    return studio_view


urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    re_path(r"^studio/scenario/(?P<scenario_id>[^/]+)/(?P<view_name>studio_view|author_view)/$",
            in_studio(workbench_views.show_scenario), name="studio_scenario"),
    re_path(r"^studio/handler/(?P<usage_id>[^/]+)/(?P<handler_slug>[^/]*)(?:/(?P<suffix>.*))?$",
            in_studio(workbench_views.handler), {"authenticated": True}, name="studio_handler"),
    re_path(r"^resource/(?P<block_type>[^/]+)/(?P<resource>.*)$", collected_resource, name="package_resource"),
    path("notifications/", notifications_page, name="bizmooc_notifications"),
] + workbench_urlpatterns
