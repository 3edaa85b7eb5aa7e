"""The no-silent-drops rows of IAM: users, groups, roles, access keys, inline and managed
policies, instance profiles, tags (:mod:`tests.members.rows`)."""

from tests.members.rows import Honoured, Refused

IAM = "tests/services/iam/"

ROWS = {
    "AddRoleToInstanceProfile": {
        "InstanceProfileName": Honoured(IAM + "test_instance_profiles.py::test_a_profile_holds_one_role"),
        "RoleName": Honoured(IAM + "test_instance_profiles.py::test_a_profile_holds_one_role"),
    },
    "AddUserToGroup": {
        "GroupName": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
        "UserName": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
    },
    "AttachGroupPolicy": {
        "GroupName": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
        "PolicyArn": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
    },
    "AttachRolePolicy": {
        "RoleName": Honoured(IAM + "test_iam.py::test_create_get_list_delete_a_role"),
        "PolicyArn": Honoured(IAM + "test_iam.py::test_create_get_list_delete_a_role"),
    },
    "AttachUserPolicy": {
        "UserName": Honoured(IAM + "test_iam.py::test_delete_policy_conflicts"),
        "PolicyArn": Honoured(IAM + "test_iam.py::test_delete_policy_conflicts"),
    },
    "CreateAccessKey": {
        "UserName": Honoured(IAM + "test_iam.py::test_access_keys_create_list_update_delete"),
    },
    "CreateGroup": {
        "Path": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
        "GroupName": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
    },
    "CreateInstanceProfile": {
        "InstanceProfileName": Honoured(IAM + "test_instance_profiles.py::test_profile_tags"),
        "Path": Honoured(IAM + "test_instance_profiles.py::test_create_get_list_delete_a_profile"),
        "Tags": Honoured(IAM + "test_instance_profiles.py::test_a_profile_s_tags_are_conditions"),
    },
    "CreatePolicy": {
        "PolicyName": Honoured(IAM + "test_iam.py::test_policy_versions"),
        "Path": Honoured(IAM + "test_iam.py::test_create_get_and_list_managed_policies"),
        "PolicyDocument": Honoured(IAM + "test_iam.py::test_policy_versions"),
        "Description": Honoured(IAM + "test_iam.py::test_create_get_and_list_managed_policies"),
        "Tags": Honoured(IAM + "test_policy_members.py::test_create_policy_keeps_its_tags"),
    },
    "CreatePolicyVersion": {
        "PolicyArn": Honoured(IAM + "test_iam.py::test_policy_versions"),
        "PolicyDocument": Honoured(IAM + "test_iam.py::test_policy_versions"),
        "SetAsDefault": Honoured(IAM + "test_iam.py::test_policy_versions"),
    },
    "CreateRole": {
        "Path": Honoured(IAM + "test_listing_members.py::test_path_prefix_keeps_what_lies_under_it"),
        "RoleName": Honoured(IAM + "test_iam.py::test_user_and_role_tags"),
        "AssumeRolePolicyDocument": Honoured(IAM + "test_iam.py::test_user_and_role_tags"),
        "Description": Honoured(IAM + "test_iam.py::test_create_get_list_delete_a_role"),
        "MaxSessionDuration": Honoured(IAM + "test_iam.py::test_create_get_list_delete_a_role"),
        "PermissionsBoundary": Refused("InvalidInput"),
        "Tags": Honoured(IAM + "test_iam.py::test_user_and_role_tags"),
    },
    "CreateUser": {
        "Path": Honoured(IAM + "test_iam.py::test_create_get_list_delete_a_user"),
        "UserName": Honoured(IAM + "test_iam.py::test_user_and_role_tags"),
        "PermissionsBoundary": Refused("InvalidInput"),
        "Tags": Honoured(IAM + "test_iam.py::test_get_user_without_a_name_is_the_caller"),
    },
    "DeleteAccessKey": {
        "UserName": Honoured(IAM + "test_iam.py::test_access_keys_create_list_update_delete"),
        "AccessKeyId": Honoured(IAM + "test_iam.py::test_access_keys_create_list_update_delete"),
    },
    "DeleteGroup": {
        "GroupName": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
    },
    "DeleteGroupPolicy": {
        "GroupName": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
        "PolicyName": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
    },
    "DeleteInstanceProfile": {
        "InstanceProfileName": Honoured(IAM + "test_instance_profiles.py::test_profile_tags"),
    },
    "DeletePolicy": {
        "PolicyArn": Honoured(IAM + "test_iam.py::test_delete_policy_conflicts"),
    },
    "DeletePolicyVersion": {
        "PolicyArn": Honoured(IAM + "test_iam.py::test_policy_versions"),
        "VersionId": Honoured(IAM + "test_iam.py::test_policy_versions"),
    },
    "DeleteRole": {
        "RoleName": Honoured(IAM + "test_iam.py::test_create_get_list_delete_a_role"),
    },
    "DeleteRolePolicy": {
        "RoleName": Honoured(IAM + "test_iam.py::test_create_get_list_delete_a_role"),
        "PolicyName": Honoured(IAM + "test_iam.py::test_create_get_list_delete_a_role"),
    },
    "DeleteUser": {
        "UserName": Honoured(IAM + "test_iam.py::test_create_get_list_delete_a_user"),
    },
    "DeleteUserPolicy": {
        "UserName": Honoured(IAM + "test_iam.py::test_user_inline_policies"),
        "PolicyName": Honoured(IAM + "test_iam.py::test_user_inline_policies"),
    },
    "DetachGroupPolicy": {
        "GroupName": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
        "PolicyArn": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
    },
    "DetachRolePolicy": {
        "RoleName": Honoured(IAM + "test_iam.py::test_create_get_list_delete_a_role"),
        "PolicyArn": Honoured(IAM + "test_iam.py::test_create_get_list_delete_a_role"),
    },
    "DetachUserPolicy": {
        "UserName": Honoured(IAM + "test_iam.py::test_delete_policy_conflicts"),
        "PolicyArn": Honoured(IAM + "test_iam.py::test_delete_policy_conflicts"),
    },
    "GetGroup": {
        "GroupName": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
        "Marker": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
        "MaxItems": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
    },
    "GetGroupPolicy": {
        "GroupName": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
        "PolicyName": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
    },
    "GetInstanceProfile": {
        "InstanceProfileName": Honoured(IAM + "test_instance_profiles.py::test_profile_tags"),
    },
    "GetPolicy": {
        "PolicyArn": Honoured(IAM + "test_iam.py::test_policy_versions"),
    },
    "GetPolicyVersion": {
        "PolicyArn": Honoured(IAM + "test_iam.py::test_policy_versions"),
        "VersionId": Honoured(IAM + "test_iam.py::test_policy_versions"),
    },
    "GetRole": {
        "RoleName": Honoured(IAM + "test_iam.py::test_user_and_role_tags"),
    },
    "GetRolePolicy": {
        "RoleName": Honoured(IAM + "test_iam.py::test_create_get_list_delete_a_role"),
        "PolicyName": Honoured(IAM + "test_iam.py::test_create_get_list_delete_a_role"),
    },
    "GetUser": {
        "UserName": Honoured(IAM + "test_iam.py::test_user_and_role_tags"),
    },
    "GetUserPolicy": {
        "UserName": Honoured(IAM + "test_iam.py::test_user_inline_policies"),
        "PolicyName": Honoured(IAM + "test_iam.py::test_user_inline_policies"),
    },
    "ListAccessKeys": {
        "UserName": Honoured(IAM + "test_iam.py::test_access_keys_create_list_update_delete"),
        "Marker": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
        "MaxItems": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
    },
    "ListAttachedGroupPolicies": {
        "GroupName": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
        "PathPrefix": Honoured(IAM + "test_listing_members.py::test_path_prefix_keeps_what_lies_under_it"),
        "Marker": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
        "MaxItems": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
    },
    "ListAttachedRolePolicies": {
        "RoleName": Honoured(IAM + "test_iam.py::test_create_get_list_delete_a_role"),
        "PathPrefix": Honoured(IAM + "test_listing_members.py::test_path_prefix_keeps_what_lies_under_it"),
        "Marker": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
        "MaxItems": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
    },
    "ListAttachedUserPolicies": {
        "UserName": Honoured(IAM + "test_iam.py::test_attaching_unknown_policies"),
        "PathPrefix": Honoured(IAM + "test_listing_members.py::test_path_prefix_keeps_what_lies_under_it"),
        "Marker": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
        "MaxItems": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
    },
    "ListGroupPolicies": {
        "GroupName": Honoured(IAM + "test_policy_members.py::test_list_group_policies_names_the_group_s_inline_policies"),
        "Marker": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
        "MaxItems": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
    },
    "ListGroups": {
        "PathPrefix": Honoured(IAM + "test_listing_members.py::test_path_prefix_keeps_what_lies_under_it"),
        "Marker": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
        "MaxItems": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
    },
    "ListGroupsForUser": {
        "UserName": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
        "Marker": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
        "MaxItems": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
    },
    "ListInstanceProfileTags": {
        "InstanceProfileName": Honoured(IAM + "test_instance_profiles.py::test_profile_tags"),
        "Marker": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
        "MaxItems": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
    },
    "ListInstanceProfiles": {
        "PathPrefix": Honoured(IAM + "test_instance_profiles.py::test_listings_page_and_filter_by_path"),
        "Marker": Honoured(IAM + "test_instance_profiles.py::test_listings_page_and_filter_by_path"),
        "MaxItems": Honoured(IAM + "test_instance_profiles.py::test_listings_page_and_filter_by_path"),
    },
    "ListInstanceProfilesForRole": {
        "RoleName": Honoured(IAM + "test_instance_profiles.py::test_a_profile_holds_one_role"),
        "Marker": Honoured(IAM + "test_instance_profiles.py::test_a_profile_holds_one_role"),
        "MaxItems": Honoured(IAM + "test_instance_profiles.py::test_a_profile_holds_one_role"),
    },
    "ListPolicies": {
        "Scope": Honoured(IAM + "test_iam.py::test_create_get_and_list_managed_policies"),
        "OnlyAttached": Honoured(IAM + "test_iam.py::test_only_attached_and_attachment_counts"),
        "PathPrefix": Honoured(IAM + "test_iam.py::test_create_get_and_list_managed_policies"),
        "PolicyUsageFilter": Refused("InvalidInput"),
        "Marker": Honoured(IAM + "test_iam.py::test_create_get_and_list_managed_policies"),
        "MaxItems": Honoured(IAM + "test_iam.py::test_create_get_and_list_managed_policies"),
    },
    "ListPolicyVersions": {
        "PolicyArn": Honoured(IAM + "test_iam.py::test_policy_versions"),
        "Marker": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
        "MaxItems": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
    },
    "ListRolePolicies": {
        "RoleName": Honoured(IAM + "test_iam.py::test_create_get_list_delete_a_role"),
        "Marker": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
        "MaxItems": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
    },
    "ListRoleTags": {
        "RoleName": Honoured(IAM + "test_iam.py::test_user_and_role_tags"),
        "Marker": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
        "MaxItems": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
    },
    "ListRoles": {
        "PathPrefix": Honoured(IAM + "test_listing_members.py::test_path_prefix_keeps_what_lies_under_it"),
        "Marker": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
        "MaxItems": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
    },
    "ListUserPolicies": {
        "UserName": Honoured(IAM + "test_iam.py::test_user_inline_policies"),
        "Marker": Honoured(IAM + "test_iam.py::test_user_inline_policies"),
        "MaxItems": Honoured(IAM + "test_iam.py::test_user_inline_policies"),
    },
    "ListUserTags": {
        "UserName": Honoured(IAM + "test_iam.py::test_user_and_role_tags"),
        "Marker": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
        "MaxItems": Honoured(IAM + "test_listing_members.py::test_marker_and_max_items_page_every_listing"),
    },
    "ListUsers": {
        "PathPrefix": Honoured(IAM + "test_iam.py::test_list_users_pages_and_filters_by_path"),
        "Marker": Honoured(IAM + "test_iam.py::test_list_users_pages_and_filters_by_path"),
        "MaxItems": Honoured(IAM + "test_iam.py::test_list_users_pages_and_filters_by_path"),
    },
    "PutGroupPolicy": {
        "GroupName": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
        "PolicyName": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
        "PolicyDocument": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
    },
    "PutRolePolicy": {
        "RoleName": Honoured(IAM + "test_iam.py::test_create_get_list_delete_a_role"),
        "PolicyName": Honoured(IAM + "test_iam.py::test_create_get_list_delete_a_role"),
        "PolicyDocument": Honoured(IAM + "test_iam.py::test_create_get_list_delete_a_role"),
    },
    "PutUserPolicy": {
        "UserName": Honoured(IAM + "test_iam.py::test_user_inline_policies"),
        "PolicyName": Honoured(IAM + "test_iam.py::test_user_inline_policies"),
        "PolicyDocument": Honoured(IAM + "test_iam.py::test_user_inline_policies"),
    },
    "RemoveRoleFromInstanceProfile": {
        "InstanceProfileName": Honoured(IAM + "test_instance_profiles.py::test_remove_role_and_the_delete_conflicts"),
        "RoleName": Honoured(IAM + "test_instance_profiles.py::test_remove_role_and_the_delete_conflicts"),
    },
    "RemoveUserFromGroup": {
        "GroupName": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
        "UserName": Honoured(IAM + "test_iam.py::test_groups_members_and_policies"),
    },
    "SetDefaultPolicyVersion": {
        "PolicyArn": Honoured(IAM + "test_iam.py::test_policy_versions"),
        "VersionId": Honoured(IAM + "test_iam.py::test_policy_versions"),
    },
    "TagInstanceProfile": {
        "InstanceProfileName": Honoured(IAM + "test_instance_profiles.py::test_profile_tags"),
        "Tags": Honoured(IAM + "test_instance_profiles.py::test_profile_tags"),
    },
    "TagRole": {
        "RoleName": Honoured(IAM + "test_iam.py::test_user_and_role_tags"),
        "Tags": Honoured(IAM + "test_iam.py::test_user_and_role_tags"),
    },
    "TagUser": {
        "UserName": Honoured(IAM + "test_iam.py::test_user_and_role_tags"),
        "Tags": Honoured(IAM + "test_iam.py::test_user_and_role_tags"),
    },
    "UntagInstanceProfile": {
        "InstanceProfileName": Honoured(IAM + "test_instance_profiles.py::test_profile_tags"),
        "TagKeys": Honoured(IAM + "test_instance_profiles.py::test_profile_tags"),
    },
    "UntagRole": {
        "RoleName": Honoured(IAM + "test_iam.py::test_user_and_role_tags"),
        "TagKeys": Honoured(IAM + "test_iam.py::test_user_and_role_tags"),
    },
    "UntagUser": {
        "UserName": Honoured(IAM + "test_iam.py::test_user_and_role_tags"),
        "TagKeys": Honoured(IAM + "test_iam.py::test_user_and_role_tags"),
    },
    "UpdateAccessKey": {
        "UserName": Honoured(IAM + "test_iam.py::test_access_keys_create_list_update_delete"),
        "AccessKeyId": Honoured(IAM + "test_iam.py::test_access_keys_create_list_update_delete"),
        "Status": Honoured(IAM + "test_iam.py::test_access_keys_create_list_update_delete"),
    },
    "UpdateAssumeRolePolicy": {
        "RoleName": Honoured(IAM + "test_policy_members.py::test_update_assume_role_policy_replaces_the_trust_policy"),
        "PolicyDocument": Honoured(IAM + "test_policy_members.py::test_update_assume_role_policy_replaces_the_trust_policy"),
    },
}
