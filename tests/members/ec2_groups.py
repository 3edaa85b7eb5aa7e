"""The no-silent-drops rows of security groups and their rules
(:mod:`tests.members.rows`)."""

from tests.members.rows import Honoured, Refused

NET = "tests/services/ec2/networking/"
EC2 = "tests/services/ec2/"
DRY_RUN = Honoured(EC2 + "test_dry_run.py::test_dry_run_answers_and_changes_nothing")

ROWS = {
    "AuthorizeSecurityGroupEgress": {
        "TagSpecifications": Honoured(NET + "test_group_rule_members.py::test_egress_rules_by_permissions_with_tags"),
        "DryRun": DRY_RUN,
        "GroupId": Honoured(NET + "test_group_rules.py::test_duplicates"),
        "SourceSecurityGroupName": Refused("UnsupportedOperation"),
        "SourceSecurityGroupOwnerId": Refused("UnsupportedOperation"),
        "IpProtocol": Refused("UnsupportedOperation"),
        "FromPort": Refused("UnsupportedOperation"),
        "ToPort": Refused("UnsupportedOperation"),
        "CidrIp": Refused("UnsupportedOperation"),
        "IpPermissions": Honoured(NET + "test_group_rule_members.py::test_egress_rules_by_permissions_with_tags"),
    },
    "AuthorizeSecurityGroupIngress": {
        "CidrIp": Honoured(NET + "test_group_rules.py::test_duplicates"),
        "FromPort": Honoured(NET + "test_group_rules.py::test_the_legacy_flat_form"),
        "GroupId": Honoured(NET + "test_group_rules.py::test_duplicates"),
        "GroupName": Honoured(NET + "test_group_rules.py::test_the_legacy_flat_form"),
        "IpPermissions": Honoured(NET + "test_group_rules.py::test_duplicates"),
        "IpProtocol": Honoured(NET + "test_group_rules.py::test_the_legacy_flat_form"),
        "SourceSecurityGroupName": Honoured(NET + "test_group_rules.py::test_the_legacy_flat_form"),
        "SourceSecurityGroupOwnerId": Honoured(NET + "test_group_rule_members.py::test_the_source_group_owner_is_the_caller_s_account"),
        "ToPort": Honoured(NET + "test_group_rules.py::test_the_legacy_flat_form"),
        "TagSpecifications": Honoured(NET + "test_group_rules.py::test_describe_rules_and_their_tags"),
        "DryRun": DRY_RUN,
    },
    "CreateSecurityGroup": {
        "Description": Honoured(NET + "test_security_groups.py::test_tags_on_groups"),
        "GroupName": Honoured(NET + "test_security_groups.py::test_tags_on_groups"),
        "VpcId": Honoured(NET + "test_security_groups.py::test_launch_with_groups"),
        "TagSpecifications": Honoured(NET + "test_security_groups.py::test_create_in_the_default_vpc"),
        "DryRun": DRY_RUN,
    },
    "DeleteSecurityGroup": {
        "GroupId": Honoured(NET + "test_security_groups.py::test_modify_instance_groups"),
        "GroupName": Honoured(NET + "test_security_groups.py::test_delete_by_id_and_by_name"),
        "DryRun": DRY_RUN,
    },
    "DescribeSecurityGroupRules": {
        "Filters": Honoured(NET + "test_group_rules.py::test_describe_rules_and_their_tags"),
        "SecurityGroupRuleIds": Honoured(NET + "test_group_rules.py::test_modify_rules"),
        "DryRun": DRY_RUN,
        "NextToken": Honoured(NET + "test_group_rules.py::test_describe_rules_and_their_tags"),
        "MaxResults": Honoured(NET + "test_group_rules.py::test_describe_rules_and_their_tags"),
    },
    "DescribeSecurityGroups": {
        "GroupIds": Honoured(EC2 + "test_networking.py::test_unknown_security_groups"),
        "GroupNames": Honoured(EC2 + "test_networking.py::test_unknown_security_groups"),
        "NextToken": Honoured(NET + "test_security_groups.py::test_describe_filters_and_paging"),
        "MaxResults": Honoured(NET + "test_security_groups.py::test_describe_filters_and_paging"),
        "DryRun": DRY_RUN,
        "Filters": Honoured(NET + "test_security_groups.py::test_tags_on_groups"),
    },
    "ModifySecurityGroupRules": {
        "GroupId": Honoured(NET + "test_group_rules.py::test_modify_rules"),
        "SecurityGroupRules": Honoured(NET + "test_group_rules.py::test_modify_rules"),
        "DryRun": DRY_RUN,
    },
    "RevokeSecurityGroupEgress": {
        "SecurityGroupRuleIds": Honoured(NET + "test_group_rules.py::test_revoke_by_properties_and_by_id"),
        "DryRun": DRY_RUN,
        "GroupId": Honoured(NET + "test_group_rules.py::test_revoke_by_properties_and_by_id"),
        "SourceSecurityGroupName": Refused("UnsupportedOperation"),
        "SourceSecurityGroupOwnerId": Refused("UnsupportedOperation"),
        "IpProtocol": Refused("UnsupportedOperation"),
        "FromPort": Refused("UnsupportedOperation"),
        "ToPort": Refused("UnsupportedOperation"),
        "CidrIp": Refused("UnsupportedOperation"),
        "IpPermissions": Honoured(NET + "test_group_rule_members.py::test_egress_rules_by_permissions_with_tags"),
    },
    "RevokeSecurityGroupIngress": {
        "CidrIp": Honoured(NET + "test_group_rules.py::test_the_legacy_flat_form"),
        "FromPort": Honoured(NET + "test_group_rules.py::test_the_legacy_flat_form"),
        "GroupId": Honoured(NET + "test_group_rules.py::test_describe_rules_and_their_tags"),
        "GroupName": Honoured(NET + "test_group_rules.py::test_the_legacy_flat_form"),
        "IpPermissions": Honoured(NET + "test_group_rules.py::test_revoke_by_properties_and_by_id"),
        "IpProtocol": Honoured(NET + "test_group_rules.py::test_the_legacy_flat_form"),
        "SourceSecurityGroupName": Honoured(NET + "test_group_rule_members.py::test_the_source_group_owner_is_the_caller_s_account"),
        "SourceSecurityGroupOwnerId": Honoured(NET + "test_group_rule_members.py::test_the_source_group_owner_is_the_caller_s_account"),
        "ToPort": Honoured(NET + "test_group_rules.py::test_the_legacy_flat_form"),
        "SecurityGroupRuleIds": Honoured(NET + "test_group_rules.py::test_describe_rules_and_their_tags"),
        "DryRun": DRY_RUN,
    },
    "UpdateSecurityGroupRuleDescriptionsEgress": {
        "DryRun": DRY_RUN,
        "GroupId": Honoured(NET + "test_group_rule_members.py::test_egress_descriptions_by_rule_id_and_by_permissions"),
        "GroupName": Honoured(NET + "test_group_rule_members.py::test_descriptions_by_group_name_in_the_default_vpc"),
        "IpPermissions": Honoured(NET + "test_group_rule_members.py::test_egress_descriptions_by_rule_id_and_by_permissions"),
        "SecurityGroupRuleDescriptions": Honoured(NET + "test_group_rule_members.py::test_descriptions_by_group_name_in_the_default_vpc"),
    },
    "UpdateSecurityGroupRuleDescriptionsIngress": {
        "DryRun": DRY_RUN,
        "GroupId": Honoured(NET + "test_group_rules.py::test_update_descriptions"),
        "GroupName": Honoured(NET + "test_group_rule_members.py::test_descriptions_by_group_name_in_the_default_vpc"),
        "IpPermissions": Honoured(NET + "test_group_rules.py::test_update_descriptions"),
        "SecurityGroupRuleDescriptions": Honoured(NET + "test_group_rules.py::test_update_descriptions"),
    },
}
