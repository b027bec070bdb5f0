"""A path convertor for Azure's resource names, which never hold a colon."""

from starlette.convertors import StringConvertor, register_url_convertor

CONVERTOR = "azure_name"


class ResourceNameConvertor(StringConvertor):
    """A path segment without ':', so `/text/blocklists/x:addOrUpdateBlocklistItems` is the
    action route only, not also the blocklist `x:addOrUpdateBlocklistItems` (which would
    advertise GET, PATCH and DELETE on an action's URL)."""

    regex = "[^/:]+"


register_url_convertor(CONVERTOR, ResourceNameConvertor())
