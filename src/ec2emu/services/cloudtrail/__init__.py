"""AWS CloudTrail as served here: the event history of management events
(LookupEvents), read from the audit trail every call is recorded in
(:mod:`ec2emu.trail`)."""
