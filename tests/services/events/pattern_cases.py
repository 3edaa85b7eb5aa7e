"""Event-pattern cases as data: AWS's documented examples and AWS-validated behaviour,
each named after the example it comes from. Independent of any test runner, so the same
table can run against the pattern module directly and through TestEventPattern.

``MATCH_CASES``: ``(name, pattern, event, expected)`` — the pattern as Python data (send
``json.dumps(pattern)``), the event a full envelope with the fields TestEventPattern
requires. ``ERROR_CASES``: ``(name, pattern, fragment)`` — the pattern as data or as
raw text (a ``str``), and a fragment of the ``InvalidEventPatternException`` message.
``EXACT_MESSAGES``: ``(name, pattern text, reason)`` — the whole message is
``"Event pattern is not valid. Reason: " + reason``, as AWS recorded it.
"""

from __future__ import annotations

import json
from typing import Any


def event(detail: Any = None, **fields: Any) -> dict[str, Any]:
    """An event envelope; keyword names use ``_`` for ``-`` (``detail_type``)."""
    envelope: dict[str, Any] = {
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "EC2 Instance State-change Notification",
        "source": "aws.ec2",
        "account": "111122223333",
        "time": "2017-12-22T18:43:48Z",
        "region": "us-west-1",
        "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
        "detail": {} if detail is None else detail,
    }
    for key, value in fields.items():
        envelope["detail-type" if key == "detail_type" else key] = value
    return envelope


def pattern_text(pattern: Any) -> str:
    return pattern if isinstance(pattern, str) else json.dumps(pattern)


EC2_TERMINATED = {"instance-id": "i-1234567890abcdef0", "state": "terminated"}
NUMERIC_EXAMPLE = {"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}], "d-count": [{"numeric": ["<", 10]}],
                              "x-limit": [{"numeric": ["=", 3.018e2]}]}}
OR_NUMERIC = {"detail": {"$or": [{"c-count": [{"numeric": [">", 0, "<=", 5]}]},
                                 {"d-count": [{"numeric": ["<", 10]}]}]}}
ARRAY_PATTERN = {"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
                               "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
                               "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f"]}
ASG = ("arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:"
       "autoScalingGroupName/ASGTerminate")
NESTED_OR = {"source": ["aws.cloudwatch"],
             "$or": [{"metricName": ["CPUUtilization", "ReadLatency"]},
                     {"metricType": ["MetricType"], "namespace": ["AWS/EC2", "AWS/ES"],
                      "$or": [{"metricId": [1234]}, {"spaceId": [1000]}]},
                     {"scope": ["Service"]}]}

MATCH_CASES: list[tuple[str, Any, dict[str, Any], bool]] = [
    # ---- eb-event-patterns: the EC2 state-change example, exact values, AND of fields
    ("ec2-instance-termination", {"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"],
                                  "detail": {"state": ["terminated"]}}, event(EC2_TERMINATED), True),
    ("ec2-instance-termination-running", {"source": ["aws.ec2"], "detail": {"state": ["terminated"]}},
     event({"state": "running"}), False),
    ("source-or-values", {"source": ["aws.ec2", "aws.fargate"]}, event(), True),
    ("source-or-values-other", {"source": ["aws.ec2", "aws.fargate"]}, event(source="aws.s3"), False),
    ("key-case-sensitive", {"MY_KEY": ["my-value"]}, event(my_key="my-value"), False),
    ("value-case-sensitive", {"source": ["AWS.EC2"]}, event(), False),
    ("listed-field-must-exist", {"detail": {"state": ["terminated"]}}, event({}), False),
    ("detail-string-not-parsed", {"detail": {"state": ["terminated"]}}, event('{"state": "terminated"}'), False),
    # ---- eb-event-patterns-arrays
    ("arrays-intersection", ARRAY_PATTERN,
     event(resources=[ASG, "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"]), True),
    ("arrays-no-intersection", ARRAY_PATTERN, event(resources=[ASG]), False),
    ("arrays-empty-event-array", ARRAY_PATTERN, event(resources=[]), False),
    ("arrays-empty-null", {"resources": [None]}, event(resources=[]), False),
    ("arrays-list-within-dict", {"detail": {"automations": {"id": [{"exists": True}]}}},
     event({"automations": [{"key1": "value1"}, {"id": "x"}]}), True),
    ("arrays-objects-same-element", {"detail": {"employees": {"firstName": ["Anna"], "lastName": ["Smith"]}}},
     event({"employees": [{"firstName": "John", "lastName": "Doe"}, {"firstName": "Anna", "lastName": "Smith"}]}),
     True),
    ("arrays-objects-different-elements", {"detail": {"employees": {"firstName": ["Anna"], "lastName": ["Jones"]}}},
     event({"employees": [{"firstName": "Anna", "lastName": "Smith"}, {"firstName": "Peter", "lastName": "Jones"}]}),
     False),
    ("arrays-nested-arrays", {"detail": {"employees": {"firstName": ["Peter"]}}},
     event({"employees": [[{"firstName": "John"}], [{"firstName": "Peter"}]]}), True),
    # ---- eb-event-patterns-null-values
    ("null-value", {"detail": {"responseElements": [None]}}, event({"responseElements": None}), True),
    ("null-value-string-null", {"detail": {"responseElements": [None]}}, event({"responseElements": "null"}), False),
    ("null-value-not-empty-string", {"detail": {"responseElements": [None]}}, event({"responseElements": ""}), False),
    ("string-empty", {"detail": {"eventVersion": [""]}}, event({"eventVersion": ""}), True),
    ("string-empty-not-null", {"detail": {"eventVersion": [""]}}, event({"eventVersion": None}), False),
    ("empty-lastname", {"detail": {"LastName": [""]}}, event({"LastName": "Smith"}), False),
    # ---- numbers and booleans
    ("number-comparison-float", {"detail": {"number": [300]}}, event({"number": 300.0}), True),
    ("number-not-string", {"detail": {"number": [300]}}, event({"number": "300"}), False),
    ("string-not-number", {"detail": {"number": ["300"]}}, event({"number": 300}), False),
    ("boolean", {"detail": {"boolean": [False]}}, event({"boolean": False}), True),
    ("boolean-NEG", {"detail": {"boolean": [False]}}, event({"boolean": True}), False),
    ("boolean-not-number", {"detail": {"flag": [True]}}, event({"flag": 1}), False),
    ("number-not-boolean", {"detail": {"flag": [1]}}, event({"flag": True}), False),
    # ---- prefix / suffix / equals-ignore-case
    ("prefix-time", {"time": [{"prefix": "2017-10-02"}]}, event(time="2017-10-02T18:43:48Z"), True),
    ("prefix-time-other-day", {"time": [{"prefix": "2017-10-02"}]}, event(time="2017-10-03T18:43:48Z"), False),
    ("prefix-autoscaling-europe", {"source": ["aws.autoscaling"], "region": [{"prefix": "eu-"}]},
     event(source="aws.autoscaling", region="eu-west-1"), True),
    ("prefix-not-number", {"detail": {"n": [{"prefix": "1"}]}}, event({"n": 123}), False),
    ("prefix-empty-matches-any-string", {"detail": {"s": [{"prefix": ""}]}}, event({"s": "anything"}), True),
    ("prefix-ignore-case", {"detail": {"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}},
     event({"service": "eventbridge"}), True),
    ("prefix-ignore-case-NEG", {"detail": {"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}},
     event({"service": "ventbridge"}), False),
    ("suffix-png", {"FileName": [{"suffix": ".png"}]}, event(FileName="image.png"), True),
    ("suffix-case-sensitive", {"FileName": [{"suffix": ".PNG"}]}, event(FileName="image.png"), False),
    ("suffix-ignore-case", {"detail": {"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]}},
     event({"FileName": "image.PNG"}), True),
    ("equals-ignore-case-alice", {"detail": {"Name": [{"equals-ignore-case": "alice"}]}}, event({"Name": "ALICE"}),
     True),
    ("equals-ignore-case-detail-type", {"detail-type": [{"equals-ignore-case": "ec2 instance state-change notification"}]},
     event(), True),
    ("equals-ignore-case-not-prefix", {"detail": {"Name": [{"equals-ignore-case": "alice"}]}},
     event({"Name": "Alice B"}), False),
    # ---- wildcard
    ("wildcard-spans-slashes", {"FileName": [{"wildcard": "/Users/*/doc.txt"}]},
     event(FileName="/Users/u/dir/dir/doc.txt"), True),
    ("wildcard-event-bus-arn", {"EventBusArn": [{"wildcard": "arn:aws:events:*:*:event-bus/*"}]},
     event(EventBusArn="arn:aws:events:us-east-1:123456789012:event-bus/myEventBus"), True),
    ("wildcard-empty", {"EventBusArn": [{"wildcard": ""}]},
     event(EventBusArn="arn:aws:events:us-east-1:123456789012:event-bus/myEventBus"), False),
    ("wildcard-png", {"detail": {"FileName": [{"wildcard": "*.png"}]}}, event({"FileName": "dir/a.png"}), True),
    ("wildcard-title-middle", {"detail": {"name": [{"wildcard": "*Title*"}]}}, event({"name": "MyTitleHere"}), True),
    ("wildcard-escaped-star", {"detail": {"name": [{"wildcard": "a\\*b"}]}}, event({"name": "a*b"}), True),
    ("wildcard-escaped-star-literal", {"detail": {"name": [{"wildcard": "a\\*b"}]}}, event({"name": "axxb"}), False),
    ("wildcard-escaped-backslash", {"detail": {"name": [{"wildcard": "a\\\\*"}]}}, event({"name": "a\\bc"}), True),
    ("wildcard-not-number", {"detail": {"n": [{"wildcard": "*"}]}}, event({"n": 5}), False),
    # ---- anything-but
    ("anything-but-string", {"detail": {"state": [{"anything-but": "initializing"}]}}, event({"state": "pending"}),
     True),
    ("anything-but-string-NEG", {"detail": {"state": [{"anything-but": "initializing"}]}},
     event({"state": "initializing"}), False),
    ("anything-but-string-missing", {"detail": {"state": [{"anything-but": "initializing"}]}}, event({}), False),
    ("anything-but-string-null", {"detail": {"state": [{"anything-but": "initializing"}]}}, event({"state": None}),
     True),
    ("anything-but-number", {"detail": {"x-limit": [{"anything-but": 123}]}}, event({"x-limit": 124}), True),
    ("anything-but-number-NEG", {"detail": {"x-limit": [{"anything-but": 123}]}}, event({"x-limit": 123.0}), False),
    ("anything-but-string-list", {"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}},
     event({"state": "running"}), True),
    ("anything-but-string-list-NEG", {"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}},
     event({"state": "stopped"}), False),
    ("anything-but-number-list", {"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}},
     event({"x-limit": 999}), True),
    ("anything-but-number-list-NEG", {"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}},
     event({"x-limit": 100}), False),
    ("anything-but-cloudtrail", {"detail-type": [{"anything-but": "AWS API Call via CloudTrail"}]}, event(), True),
    ("anything-but-ec2-s3", {"source": [{"anything-but": ["aws.ec2", "aws.s3"]}]}, event(), False),
    ("anything-but-prefix", {"detail": {"state": [{"anything-but": {"prefix": "init"}}]}},
     event({"state": "post-init"}), True),
    ("anything-but-prefix-NEG", {"detail": {"state": [{"anything-but": {"prefix": "init"}}]}},
     event({"state": "init-prefix"}), False),
    ("anything-but-prefix-int-value", {"detail": {"state": [{"anything-but": {"prefix": "init"}}]}},
     event({"state": 12}), True),
    ("anything-but-prefix-null", {"detail": {"state": [{"anything-but": {"prefix": "init"}}]}},
     event({"state": None}), True),
    ("anything-but-prefix-missing", {"detail": {"state": [{"anything-but": {"prefix": "init"}}]}}, event({}), False),
    ("anything-but-prefix-aws-sources", {"source": [{"anything-but": {"prefix": "aws."}}]}, event(source="my.app"),
     True),
    ("anything-but-prefix-list", {"detail": {"state": [{"anything-but": {"prefix": ["init", "test"]}}]}},
     event({"state": "post-init"}), True),
    ("anything-but-prefix-list-NEG", {"detail": {"state": [{"anything-but": {"prefix": ["init", "test"]}}]}},
     event({"state": "test-state"}), False),
    ("anything-but-suffix", {"detail": {"FileName": [{"anything-but": {"suffix": ".png"}}]}},
     event({"FileName": "doc.txt"}), True),
    ("anything-but-suffix-NEG", {"detail": {"FileName": [{"anything-but": {"suffix": ".png"}}]}},
     event({"FileName": "image.png"}), False),
    ("anything-but-ignore-case", {"detail": {"state": [{"anything-but": {"equals-ignore-case": "initializing"}}]}},
     event({"state": "running"}), True),
    ("anything-but-ignore-case-NEG", {"detail": {"state": [{"anything-but": {"equals-ignore-case": "initializing"}}]}},
     event({"state": "INITIALIZING"}), False),
    ("anything-but-ignore-case-list-NEG",
     {"detail": {"state": [{"anything-but": {"equals-ignore-case": ["initializing", "stopped"]}}]}},
     event({"state": "Stopped"}), False),
    ("anything-but-wildcard", {"detail": {"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]}},
     event({"FilePath": "dir/bin/file"}), True),
    ("anything-but-wildcard-NEG", {"detail": {"FilePath": [{"anything-but": {"wildcard": "*/init/*"}}]}},
     event({"FilePath": "dir/init/file"}), False),
    ("anything-but-wildcard-empty", {"detail": {"FilePath": [{"anything-but": {"wildcard": ""}}]}},
     event({"FilePath": "dir/init/file"}), True),
    ("anything-but-wildcard-list-NEG",
     {"detail": {"FilePath": [{"anything-but": {"wildcard": ["*/lib/*", "*/init/*"]}}]}},
     event({"FilePath": "dir/init/file"}), False),
    ("anything-but-array-value", {"detail": {"tags": [{"anything-but": "a"}]}}, event({"tags": ["a", "b"]}), True),
    # ---- numeric
    ("numeric-doc-example", NUMERIC_EXAMPLE, event({"c-count": 3, "d-count": 9, "x-limit": 301.8}), True),
    ("numeric-doc-example-NEG", NUMERIC_EXAMPLE, event({"c-count": 42, "d-count": 9, "x-limit": 301.8}), False),
    ("numeric-greater", {"detail": {"number": [{"numeric": [">", 100]}]}}, event({"number": 101.0}), True),
    ("numeric-string", {"detail": {"number": [{"numeric": [">", 100]}]}}, event({"number": "300"}), False),
    ("numeric-null", {"detail": {"number": [{"numeric": [">", 100]}]}}, event({"number": None}), False),
    ("numeric-int-float", {"detail": {"number": [{"numeric": ["=", 3]}]}}, event({"number": 3.0}), True),
    ("numeric-open-bottom", {"detail": {"n": [{"numeric": [">", 0, "<=", 5]}]}}, event({"n": 0}), False),
    ("numeric-closed-top", {"detail": {"n": [{"numeric": [">", 0, "<=", 5]}]}}, event({"n": 5}), True),
    ("numeric-closed-bottom", {"detail": {"n": [{"numeric": [">=", 0, "<", 5]}]}}, event({"n": 0}), True),
    ("numeric-open-top", {"detail": {"n": [{"numeric": [">=", 0, "<", 5]}]}}, event({"n": 5}), False),
    ("numeric-less-or-equal", {"detail": {"n": [{"numeric": ["<=", -1.5]}]}}, event({"n": -1.5}), True),
    ("numeric-boolean", {"detail": {"n": [{"numeric": [">=", 0]}]}}, event({"n": True}), False),
    # ---- exists
    ("exists", {"detail": {"description": [{"exists": True}]}}, event({"description": "x"}), True),
    ("exists-null", {"detail": {"description": [{"exists": True}]}}, event({"description": None}), True),
    ("content-exists-NEG", {"detail": {"state": [{"exists": True}]}}, event({"instance-id": "i-1"}), False),
    ("exists-list-empty-NEG", {"resources": [{"exists": True}]}, event(resources=[]), False),
    ("exists-list-empty", {"resources": [{"exists": False}]}, event(resources=[]), True),
    ("exists-object-NEG", {"detail": {"c-count": [{"exists": True}]}}, event({"c-count": {"c1": 100}}), False),
    ("exists-false", {"detail": {"c-count": [{"exists": False}]}}, event({"state": "running"}), True),
    ("exists-false-non-leaf", {"detail": {"c-count": [{"exists": False}]}}, event({"c-count": {"c1": 100}}), True),
    ("exists-false-NEG", {"detail": {"c-count": [{"exists": False}]}}, event({"c-count": 5}), False),
    ("exists-false-no-parent", {"detail": {"c-count": [{"exists": False}]}}, event(), True),
    ("or-exists", {"detail": {"k": [{"anything-but": ["roses"]}, {"exists": False}]}}, event({}), True),
    ("or-exists-value", {"detail": {"k": [{"anything-but": ["roses"]}, {"exists": False}]}}, event({"k": "tulips"}),
     True),
    ("or-exists-NEG", {"detail": {"k": [{"anything-but": ["roses"]}, {"exists": False}]}}, event({"k": "roses"}),
     False),
    # ---- cidr
    ("cidr-ipv4", {"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}}, event({"sourceIPAddress": "10.0.0.255"}),
     True),
    ("cidr-ipv4-NEG", {"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}},
     event({"sourceIPAddress": "10.0.0.256"}), False),
    ("cidr-ipv4-outside", {"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}},
     event({"sourceIPAddress": "10.0.1.1"}), False),
    ("cidr-ipv6", {"detail": {"sourceIPAddress": [{"cidr": "2001:db8:1234:1a00::/64"}]}},
     event({"sourceIPAddress": "2001:db8:1234:1a00::7"}), True),
    ("cidr-ipv6-NEG", {"detail": {"sourceIPAddress": [{"cidr": "2001:db8:1234:1a00::/64"}]}},
     event({"sourceIPAddress": "2001:db8:1234:1a01::7"}), False),
    ("cidr-bad-type", {"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}}, event({"sourceIPAddress": 10}),
     False),
    # ---- $or
    ("or-numeric", OR_NUMERIC, event({"c-count": 0, "d-count": 0}), True),
    ("or-numeric-NEG", OR_NUMERIC, event({"c-count": 0, "d-count": 10}), False),
    ("or-top-level", {"source": ["aws.ec2"], "$or": [{"detail-type": ["Other"]}, {"detail": {"state": ["terminated"]}}]},
     event(EC2_TERMINATED), True),
    ("or-nested", NESTED_OR, event(source="aws.cloudwatch", metricType="MetricType", namespace="AWS/EC2",
                                   spaceId=1000), True),
    ("or-nested-NEG", NESTED_OR, event(source="aws.cloudwatch", metricType="MetricType", namespace="AWS/EC2",
                                       spaceId=1), False),
    ("or-anything-but", {"detail": {"$or": [{"state": [{"anything-but": "running"}]}, {"x": ["y"]}]}},
     event({"state": "running"}), False),
    # ---- repeated keys: the last one counts
    ("duplicate-key-last-wins", '{"source": ["aws.s3"], "source": ["aws.ec2"]}', event(), True),
]

ERROR_CASES: list[tuple[str, Any, str]] = [
    ("int-nolist", {"int": 42}, 'Reason: "int" must be an object or an array'),
    ("string-nolist", {"string": "my-value"}, '"string" must be an object or an array'),
    ("arrays-empty", {"resources": []}, "Empty arrays are not allowed"),
    ("object-empty", {"detail": {}}, "Empty objects are not allowed"),
    ("filter-not-object", '["not", "a", "dict", "but valid json"]', "Reason: Filter is not an object"),
    ("bad-quotation", "{'bad': 'quotation'}",
     "Unexpected character (''' (code 39)): was expecting double-quote to start field name"),
    ("not-json", "this is valid json but not a dict", "Unrecognized token 'this'"),
    ("nested-array-value", {"a": [["b"]]}, "Match value must be String, number, true, false, or null"),
    ("operator-case-sensitive", {"my_key": [{"EXISTS": True}]}, "Unrecognized match type EXISTS"),
    ("numeric-operator-casing", {"detail": {"equal": [{"NUMERIC": ["=", 5]}]}}, "Unrecognized match type NUMERIC"),
    ("match-expression-empty", {"a": [{}]}, "Match expression name not found"),
    ("two-operators", {"a": [{"prefix": "a", "suffix": "b"}]}, "Only one key allowed in match expression"),
    ("numeric-bad-range-operator", {"detail": {"c-count": [{"numeric": [">", 0, ">", 0]}]}},
     "Bad numeric range operator: >"),
    ("numeric-syntax", {"detail": {"c-count": [{"numeric": [">", 0, "<"]}]}}, "Value of < must be numeric"),
    ("numeric-not-array", {"a": [{"numeric": 5}]}, "Value of numeric must be an array."),
    ("numeric-string-bound", {"a": [{"numeric": ["=", "5"]}]}, "Value of equals must be numeric"),
    ("numeric-unknown-operator", {"a": [{"numeric": ["!=", 5]}]}, "Unrecognized numeric range operator: !="),
    ("numeric-too-many-terms", {"a": [{"numeric": [">", 0, "<", 5, 6]}]}, "Too many terms in numeric range expression"),
    ("prefix-int", {"time": [{"prefix": 123}]}, "prefix match pattern must be a string"),
    ("prefix-list", {"time": [{"prefix": ["2022-07-13"]}]}, "prefix match pattern must be a string"),
    ("suffix-int", {"FileName": [{"suffix": 123}]}, "suffix match pattern must be a string"),
    ("suffix-list", {"FileName": [{"suffix": [".png"]}]}, "suffix match pattern must be a string"),
    ("equals-ignore-case-list", {"detail-type": [{"equals-ignore-case": ["ec2 instance state-change notification"]}]},
     "equals-ignore-case match pattern must be a string"),
    ("equals-ignore-case-object", {"detail-type": [{"equals-ignore-case": {"prefix": "ec2"}}]},
     "equals-ignore-case match pattern must be a string"),
    ("wildcard-int", {"EventBusArn": [{"wildcard": 123}]}, "wildcard match pattern must be a string"),
    ("wildcard-list", {"EventBusArn": [{"wildcard": ["arn:aws:events:us-east-1:**:event-bus/*"]}]},
     "wildcard match pattern must be a string"),
    ("wildcard-repeating-star", {"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]},
     "Consecutive wildcard characters at pos 26"),
    ("wildcard-complex", {"EventBusArn": [{"wildcard": "*:*:*:*:*:event-bus/*"}]}, "Rule is too complex"),
    ("wildcard-bad-escape", {"a": [{"wildcard": "a\\b"}]}, "Invalid escape character at pos 1"),
    ("anything-but-null", {"a": [{"anything-but": None}]},
     "Value of anything-but must be an array or single string/number value."),
    ("anything-but-list-null", {"a": [{"anything-but": ["a", None]}]},
     "Inside anything but list, start|null|boolean is not supported."),
    ("anything-but-list-mixed", {"a": [{"anything-but": ["a", 1]}]},
     "Inside anything but list, either all values are number or string, mixed type is not supported"),
    ("anything-but-prefix-int", {"detail": {"state": [{"anything-but": {"prefix": 123}}]}},
     "prefix/suffix match pattern must be a string"),
    ("anything-but-prefix-list-type", {"detail": {"state": [{"anything-but": {"prefix": [123, "test"]}}]}},
     "prefix/suffix match pattern must be a string"),
    ("anything-but-suffix-int", {"detail": {"FileName": [{"anything-but": {"suffix": 123}}]}},
     "prefix/suffix match pattern must be a string"),
    ("anything-but-prefix-empty", {"detail": {"state": [{"anything-but": {"prefix": ""}}]}},
     "Null prefix/suffix not allowed"),
    ("anything-but-suffix-empty", {"detail": {"state": [{"anything-but": {"suffix": ""}}]}},
     "Null prefix/suffix not allowed"),
    ("anything-but-prefix-ignore-case", {"detail": {"FileName": [{"anything-but": {"prefix": {"equals-ignore-case": "file"}}}]}},
     "Value of anything-but must be an array or single string/number value."),
    ("anything-but-suffix-ignore-case", {"detail": {"FileName": [{"anything-but": {"suffix": {"equals-ignore-case": ".png"}}}]}},
     "Value of anything-but must be an array or single string/number value."),
    ("anything-but-ignore-case-number", {"detail": {"state": [{"anything-but": {"equals-ignore-case": 123}}]}},
     "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."),
    ("anything-but-ignore-case-list-number", {"detail": {"state": [{"anything-but": {"equals-ignore-case": [123, 456]}}]}},
     "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."),
    ("anything-but-wildcard-type", {"detail": {"FilePath": [{"anything-but": {"wildcard": 123}}]}},
     "wildcard match pattern must be a string"),
    ("anything-but-wildcard-list-type", {"detail": {"state": [{"anything-but": {"wildcard": [123, "*/dir/*"]}}]}},
     "wildcard match pattern must be a string"),
    ("anything-but-unknown", {"a": [{"anything-but": {"numeric": [">", 1]}}]},
     "Unsupported anything-but pattern: numeric"),
    ("exists-not-boolean", {"a": [{"exists": "true"}]}, "exists match pattern must be either true or false."),
    ("cidr-no-slash", {"detail": {"sourceIPAddress": [{"cidr": "bad-filter"}]}}, "Malformed CIDR, one '/' required"),
    ("cidr-bad-mask", {"detail": {"sourceIPAddress": [{"cidr": "bad-/64filter"}]}},
     "Malformed CIDR, mask bits must be an integer"),
    ("cidr-bad-ip", {"detail": {"sourceIPAddress": [{"cidr": "xx.11.xx/24"}]}}, "Nonstandard IP address: xx.11.xx"),
    ("cidr-v6-bad-ip", {"detail": {"sourceIPAddress": [{"cidr": "xxxx:db8:1234:1a00::/64"}]}},
     "Nonstandard IP address: xxxx:db8:1234:1a00::"),
    ("cidr-type", {"detail": {"sourceIPAddress": [{"cidr": ["bad-type"]}]}}, "prefix match pattern must be a string"),
    ("or-single-branch", {"$or": [{"a": ["b"]}]}, "There must have at least 2 Objects in $or relationship."),
    ("or-not-array", {"$or": {"a": ["b"]}}, "It must be an Array followed with $or."),
    ("or-non-object-branch", {"$or": [{"a": ["b"]}, "c"]}, "Only JSON object is allowed in array of $or relationship."),
    ("or-reserved-name", {"$or": [{"a": ["b"]}, {"numeric": [1]}]},
     "numeric is Ruler reserved fieldName which cannot be used inside $or."),
    ("or-too-many-combinations",
     {f"k{n}": {"$or": [{f"a{i}": ["x"]} for i in range(4)]} for n in range(5)}, "$or"),
]


def _at(text: str, column: int) -> str:
    return f'\n at [Source: (String)"{text}"; line: 1, column: {column}]'


_EIC_LIST = '{"detail": {"state": [{"anything-but": {"equals-ignore-case": [123, 456]}}]}}'
_PREFIX_LIST = '{"detail": {"state": [{"anything-but": {"prefix": [123, "test"]}}]}}'
_NUMERIC_OPERATOR = '{"detail": {"c-count": [{"numeric": [">", 0, ">", 0]}]}}'
_NUMERIC_SYNTAX = '{"detail": {"c-count": [{"numeric": [">", 0, "<"]}]}}'
_REPEATING_STAR = '{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]}'

# Whole messages as AWS gives them (reason, then where its reader stood, named once or twice).
EXACT_MESSAGES: list[tuple[str, str, str]] = [
    ("exact-int-nolist", '{"int": 42}', '"int" must be an object or an array' + _at('{"int": 42}', 11)),
    ("exact-string-nolist", '{"string": "my-value"}',
     '"string" must be an object or an array' + _at('{"string": "my-value"}', 13)),
    ("exact-arrays-empty", '{"resources": []}', "Empty arrays are not allowed" + _at('{"resources": []}', 17)),
    ("exact-operator-case", '{"my_key": [{"EXISTS": true}]}',
     "Unrecognized match type EXISTS" + _at('{"my_key": [{"EXISTS": true}]}', 28)),
    ("exact-numeric-operator", _NUMERIC_OPERATOR, "Bad numeric range operator: >" + _at(_NUMERIC_OPERATOR, 49)),
    ("exact-numeric-syntax", _NUMERIC_SYNTAX, "Value of < must be numeric" + _at(_NUMERIC_SYNTAX, 50)),
    ("exact-ignore-case-list", _EIC_LIST,
     "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."
     + _at(_EIC_LIST, 67) + _at(_EIC_LIST, 67)),
    ("exact-prefix-list-type", _PREFIX_LIST,
     "prefix/suffix match pattern must be a string" + _at(_PREFIX_LIST, 55) + _at(_PREFIX_LIST, 55)),
    ("exact-repeating-star", _REPEATING_STAR,
     "Consecutive wildcard characters at pos 26" + _at(_REPEATING_STAR, 72)),
    ("exact-wildcard-complex", '{"EventBusArn": [{"wildcard": "*:*:*:*:*:event-bus/*"}]}',
     "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a "
     "wildcard character"),
    ("exact-cidr-bad-mask", '{"detail": {"sourceIPAddress": [{"cidr": "bad-/64filter"}]}}',
     "Malformed CIDR, mask bits must be an integer"),
    ("exact-cidr-v6-bad-ip", '{"detail": {"sourceIPAddress": [{"cidr": "xxxx:db8:1234:1a00::/64"}]}}',
     "Nonstandard IP address: xxxx:db8:1234:1a00::"),
    ("exact-not-json", "this is valid json but not a dict",
     "Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or "
     "'false')" + _at("this is valid json but not a dict", 5)),
    ("exact-bad-quotation", "{'bad': 'quotation'}",
     "Unexpected character (''' (code 39)): was expecting double-quote to start field name"
     + _at("{'bad': 'quotation'}", 2)),
    ("exact-not-closed", '{"not": closed mark"',
     "Unrecognized token 'closed': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or "
     "'false')" + _at('{"not": closed mark"', 15)),
    ("exact-filter-not-object", '["not", "a", "dict", "but valid json"]',
     "Filter is not an object" + _at('["not", "a", "dict", "but valid json"]', 2)),
]
