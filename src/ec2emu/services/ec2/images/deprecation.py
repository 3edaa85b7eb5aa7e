"""EnableImageDeprecation and DisableImageDeprecation: the moment an image of the caller's
stops being listed for other accounts.

``DeprecateAt`` is UTC; its seconds are rounded to the nearest minute (30 seconds and more
round up), as EC2 documents. The rounded moment may not be in the past, nor more than ten
years from now (the same day and time ten years on; 29 February becomes 28 February), nor,
for a public image, more than two years after the image was created: each refused with
``InvalidParameterValue`` (our wording: EC2's texts are not on record). The image shows
``DeprecationTime`` from then on (also before the moment comes); once the moment has passed
DescribeImages leaves the image out for every account but its owner unless it asks for
deprecated images or names the image (:mod:`.describe`). Deprecation is a comparison with
the clock made when reading, nothing is stored when the moment comes; a deprecated image
can still be launched and shared. Only the owner may deprecate an image (``AuthFailure``
for another's, as :mod:`.attributes` answers). DisableImageDeprecation removes the time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ec2emu.services.ec2.images.attributes import owned_image
from ec2emu.services.ec2.images.common import iso
from ec2emu.services.ec2.images.errors import deprecate_in_past, deprecate_too_late, public_deprecation_too_late
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared.context import RequestContext


def _years_after(moment: dt.datetime, years: int) -> dt.datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def rounded_to_minute(moment: dt.datetime) -> dt.datetime:
    moment = moment.astimezone(dt.timezone.utc) if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    whole = moment.replace(second=0, microsecond=0)
    return whole + dt.timedelta(minutes=1) if moment - whole >= dt.timedelta(seconds=30) else whole


@operation("EnableImageDeprecation")
def enable_image_deprecation(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    image = owned_image(ctx, params["ImageId"])
    at = rounded_to_minute(params["DeprecateAt"])
    shown = iso(at.timestamp())
    now = dt.datetime.fromtimestamp(ctx.now_ts, dt.timezone.utc)
    if at < now:
        raise deprecate_in_past(shown)
    if at > _years_after(now, 10):
        raise deprecate_too_late(shown)
    created = dt.datetime.fromisoformat(image["creation_date"].replace("Z", "+00:00"))
    if image["public"] and at > _years_after(created, 2):
        raise public_deprecation_too_late(shown)
    ctx.dry_run(params)
    ctx.uow.images.update(image["image_id"], deprecation_time=at.timestamp())
    return {"Return": True}


@operation("DisableImageDeprecation")
def disable_image_deprecation(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    image = owned_image(ctx, params["ImageId"])
    ctx.dry_run(params)
    ctx.uow.images.update(image["image_id"], deprecation_time=None)
    return {"Return": True}
