"""What CloudTrail's actions ask permission for and CloudTrail's denial.

LookupEvents checks ``*`` (AWS's service authorization reference lists no resource for
it); a denial is ``AccessDeniedException`` (400), worded as IAM words its own.
"""

from __future__ import annotations

from ec2emu.services.cloudtrail.errors import access_denied
from ec2emu.services.shared.permissions import denies_with

denies_with("cloudtrail", access_denied)
