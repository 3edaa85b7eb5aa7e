"""The audit trail: every management call, recorded as a CloudTrail event off the
request's transaction (:mod:`.recorder`), in CloudTrail's shapes (:mod:`.records`,
:mod:`.shapes`); the ``cloudtrail`` service reads it back (LookupEvents)."""
