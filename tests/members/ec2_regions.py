"""Regions, zones and instance types: every input member of DescribeRegions,
DescribeAvailabilityZones, ModifyAvailabilityZoneGroup, DescribeInstanceTypes and
DescribeInstanceTypeOfferings."""

from __future__ import annotations

from tests.members.rows import Honoured, Row

_REGIONS = "tests/services/ec2/test_regions.py"
_ZONES = "tests/services/ec2/test_zones.py"

ROWS: dict[str, dict[str, Row]] = {
    "DescribeRegions": {
        "RegionNames": Honoured(f"{_REGIONS}::test_region_names_select_and_unknown_names_are_rejected"),
        "AllRegions": Honoured(f"{_REGIONS}::test_all_regions_includes_not_opted_in_regions"),
        "DryRun": Honoured(f"{_REGIONS}::test_describe_regions_dry_run"),
        "Filters": Honoured(f"{_REGIONS}::test_region_filters"),
    },
    "DescribeAvailabilityZones": {
        "ZoneNames": Honoured(f"{_ZONES}::test_zone_names_and_ids_select_zones"),
        "ZoneIds": Honoured(f"{_ZONES}::test_zone_names_and_ids_select_zones"),
        "AllAvailabilityZones": Honoured(f"{_ZONES}::test_local_and_wavelength_zones_wait_for_their_groups_opt_in"),
        "DryRun": Honoured(f"{_ZONES}::test_unknown_zone_names_and_ids_are_rejected"),
        "Filters": Honoured(f"{_ZONES}::test_every_documented_filter"),
    },
    "ModifyAvailabilityZoneGroup": {
        "GroupName": Honoured(f"{_ZONES}::test_local_and_wavelength_zones_wait_for_their_groups_opt_in"),
        "OptInStatus": Honoured(f"{_ZONES}::test_bad_zone_group_requests_change_nothing"),
        "DryRun": Honoured(f"{_ZONES}::test_bad_zone_group_requests_change_nothing"),
    },
}
