"""Regions, zones and instance types: every input member of DescribeRegions,
DescribeAvailabilityZones, ModifyAvailabilityZoneGroup, DescribeInstanceTypes and
DescribeInstanceTypeOfferings."""

from __future__ import annotations

from tests.members.rows import Honoured, Row

_REGIONS = "tests/services/ec2/test_regions.py"
_ZONES = "tests/services/ec2/test_zones.py"
_TYPES = "tests/services/ec2/test_instance_types.py"
_OFFERINGS = "tests/services/ec2/test_instance_type_offerings.py"

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
    "DescribeInstanceTypes": {
        "DryRun": Honoured(f"{_TYPES}::test_dry_run"),
        "InstanceTypes": Honoured(f"{_TYPES}::test_unknown_instance_types_are_named_in_the_error"),
        "Filters": Honoured(f"{_TYPES}::test_filters"),
        "MaxResults": Honoured(f"{_TYPES}::test_paging_walks_the_whole_catalogue"),
        "NextToken": Honoured(f"{_TYPES}::test_paging_walks_the_whole_catalogue"),
        "IncludeUnsupportedInRegion": Honoured(f"{_TYPES}::test_types_a_region_does_not_offer"),
    },
    "DescribeInstanceTypeOfferings": {
        "DryRun": Honoured(f"{_OFFERINGS}::test_bad_input"),
        "LocationType": Honoured(f"{_OFFERINGS}::test_zone_offerings_by_name_and_by_id"),
        "Filters": Honoured(f"{_OFFERINGS}::test_filters"),
        "MaxResults": Honoured(f"{_OFFERINGS}::test_paging"),
        "NextToken": Honoured(f"{_OFFERINGS}::test_paging"),
    },
}
