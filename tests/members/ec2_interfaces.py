"""The no-silent-drops rows of network interfaces, their private addresses, and Elastic IP
addresses (:mod:`tests.members.rows`)."""

from tests.members.rows import Default, Honoured, Refused

NET = "tests/services/ec2/networking/"
EC2 = "tests/services/ec2/"
DRY_RUN = Honoured(EC2 + "test_dry_run.py::test_dry_run_answers_and_changes_nothing")

ROWS = {
    "AllocateAddress": {
        "Domain": Honoured(NET + "test_public_address_uniqueness.py::test_an_elastic_ip_moving_off_gives_an_address_no_other_instance_shows"),
        "Address": Refused("UnsupportedOperation"),
        "PublicIpv4Pool": Default('amazon'),
        "NetworkBorderGroup": Honoured(NET + "test_elastic_ips.py::test_allocate_honours_the_region_and_amazon_s_pool"),
        "CustomerOwnedIpv4Pool": Refused("UnsupportedOperation"),
        "TagSpecifications": Honoured(NET + "test_elastic_ips.py::test_the_address_stays_through_a_stop_and_leaves_at_termination"),
        "IpamPoolId": Refused("UnsupportedOperation"),
        "DryRun": DRY_RUN,
    },
    "AssignPrivateIpAddresses": {
        "Ipv4Prefixes": Refused("UnsupportedOperation"),
        "Ipv4PrefixCount": Refused("UnsupportedOperation"),
        "NetworkInterfaceId": Honoured(NET + "test_interface_operations.py::test_assign_and_unassign_private_addresses"),
        "PrivateIpAddresses": Honoured(NET + "test_interface_operations.py::test_assign_and_unassign_private_addresses"),
        "SecondaryPrivateIpAddressCount": Honoured(NET + "test_interface_permissions.py::test_interface_actions_name_the_interface"),
        "AllowReassignment": Default(False),
    },
    "AssociateAddress": {
        "AllocationId": Honoured(NET + "test_elastic_ips.py::test_accounts_never_see_each_others_addresses"),
        "InstanceId": Honoured(NET + "test_elastic_ips.py::test_accounts_never_see_each_others_addresses"),
        "PublicIp": Refused("InvalidParameterCombination", test=NET + "test_addresses.py::test_public_ip_is_refused_beside_the_ids"),
        "DryRun": DRY_RUN,
        "NetworkInterfaceId": Honoured(NET + "test_interface_addresses.py::test_describe_filters_on_associations"),
        "PrivateIpAddress": Honoured(NET + "test_interface_addresses.py::test_deleting_an_interface_or_unassigning_an_address_disassociates"),
        "AllowReassociation": Honoured(NET + "test_elastic_ips.py::test_reassociation_moves_the_address_unless_refused"),
    },
    "AttachNetworkInterface": {
        "NetworkCardIndex": Default(0),
        "EnaSrdSpecification": Refused("UnsupportedOperation"),
        "EnaQueueCount": Refused("UnsupportedOperation"),
        "DryRun": DRY_RUN,
        "NetworkInterfaceId": Honoured(NET + "test_interface_operations.py::test_attach_and_detach"),
        "InstanceId": Honoured(NET + "test_interface_operations.py::test_attach_and_detach"),
        "DeviceIndex": Honoured(NET + "test_interface_operations.py::test_attach_and_detach"),
    },
    "CreateNetworkInterface": {
        "Ipv4Prefixes": Refused("UnsupportedOperation"),
        "Ipv4PrefixCount": Refused("UnsupportedOperation"),
        "Ipv6Prefixes": Refused("UnsupportedOperation"),
        "Ipv6PrefixCount": Refused("UnsupportedOperation"),
        "InterfaceType": Refused("UnsupportedOperation", test=NET + "test_interface_operations.py::test_create_refusals"),
        "TagSpecifications": Honoured(NET + "test_interface_permissions.py::test_create_needs_the_subnet_the_groups_and_the_new_interface"),
        "ClientToken": Honoured(NET + "test_interface_operations.py::test_create_network_interface"),
        "EnablePrimaryIpv6": Default(False),
        "ConnectionTrackingSpecification": Refused("UnsupportedOperation"),
        "Operator": Refused("UnsupportedOperation"),
        "SubnetId": Honoured(NET + "test_interface_operations.py::test_create_network_interface"),
        "Description": Honoured(NET + "test_interface_operations.py::test_describe_by_filters_and_pages"),
        "PrivateIpAddress": Honoured(NET + "test_launch_interfaces.py::test_an_existing_interface_at_launch"),
        "Groups": Honoured(NET + "test_termination_effects.py::test_instances_are_found_by_their_interfaces_groups_addresses_and_zone"),
        "PrivateIpAddresses": Honoured(NET + "test_interface_operations.py::test_create_without_groups_takes_the_default_group"),
        "SecondaryPrivateIpAddressCount": Honoured(NET + "test_interface_operations.py::test_delete_network_interface"),
        "Ipv6Addresses": Refused("UnsupportedOperation"),
        "Ipv6AddressCount": Refused("UnsupportedOperation"),
        "DryRun": DRY_RUN,
    },
    "DeleteNetworkInterface": {
        "DryRun": DRY_RUN,
        "NetworkInterfaceId": Honoured(NET + "test_interface_operations.py::test_delete_network_interface"),
    },
    "DescribeAddresses": {
        "PublicIps": Honoured(NET + "test_elastic_ips.py::test_accounts_never_see_each_others_addresses"),
        "DryRun": DRY_RUN,
        "Filters": Honoured(NET + "test_interface_addresses.py::test_describe_filters_on_associations"),
        "AllocationIds": Honoured(NET + "test_elastic_ips.py::test_accounts_never_see_each_others_addresses"),
    },
    "DescribeNetworkInterfaceAttribute": {
        "DryRun": DRY_RUN,
        "NetworkInterfaceId": Honoured(NET + "test_interface_operations.py::test_modify_and_describe_attributes"),
        "Attribute": Honoured(NET + "test_interface_operations.py::test_modify_and_describe_attributes"),
    },
    "DescribeNetworkInterfaces": {
        "NextToken": Honoured(NET + "test_interface_operations.py::test_describe_by_filters_and_pages"),
        "MaxResults": Honoured(NET + "test_interface_operations.py::test_describe_by_filters_and_pages"),
        "IncludeManagedResources": Default(False),
        "DryRun": DRY_RUN,
        "NetworkInterfaceIds": Honoured(NET + "test_network_interfaces.py::test_other_regions_never_see_the_interfaces"),
        "Filters": Honoured(NET + "test_interface_operations.py::test_describe_by_filters_and_pages"),
    },
    "DetachNetworkInterface": {
        "DryRun": DRY_RUN,
        "AttachmentId": Honoured(NET + "test_interface_operations.py::test_attach_and_detach"),
        "Force": Honoured(NET + "test_interface_operations.py::test_attach_and_detach"),
    },
    "DisassociateAddress": {
        "AssociationId": Honoured(NET + "test_elastic_ips.py::test_accounts_never_see_each_others_addresses"),
        "PublicIp": Refused("InvalidParameterCombination", test=NET + "test_addresses.py::test_public_ip_is_refused_beside_the_ids"),
        "DryRun": DRY_RUN,
    },
    "ModifyNetworkInterfaceAttribute": {
        "EnaSrdSpecification": Refused("UnsupportedOperation"),
        "EnablePrimaryIpv6": Default(False),
        "ConnectionTrackingSpecification": Refused("UnsupportedOperation"),
        "AssociatePublicIpAddress": Default(False),
        "AssociatedSubnetIds": Refused("UnsupportedOperation"),
        "DryRun": DRY_RUN,
        "NetworkInterfaceId": Honoured(NET + "test_interface_operations.py::test_modify_and_describe_attributes"),
        "Description": Honoured(NET + "test_interface_operations.py::test_modify_and_describe_attributes"),
        "SourceDestCheck": Honoured(NET + "test_interface_operations.py::test_modify_and_describe_attributes"),
        "Groups": Honoured(NET + "test_interface_operations.py::test_modify_and_describe_attributes"),
        "Attachment": Honoured(NET + "test_interface_operations.py::test_modify_and_describe_attributes"),
    },
    "ReleaseAddress": {
        "AllocationId": Honoured(NET + "test_elastic_ips.py::test_accounts_never_see_each_others_addresses"),
        "PublicIp": Refused("InvalidParameterCombination", test=NET + "test_addresses.py::test_public_ip_is_refused_beside_the_ids"),
        "NetworkBorderGroup": Honoured(NET + "test_elastic_ips.py::test_disassociate_and_release_refusals"),
        "DryRun": DRY_RUN,
    },
    "UnassignPrivateIpAddresses": {
        "Ipv4Prefixes": Refused("UnsupportedOperation"),
        "NetworkInterfaceId": Honoured(NET + "test_interface_operations.py::test_assign_and_unassign_private_addresses"),
        "PrivateIpAddresses": Honoured(NET + "test_interface_operations.py::test_assign_and_unassign_private_addresses"),
    },
}
