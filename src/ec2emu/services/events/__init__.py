"""Amazon EventBridge as served here: rules on each account's default event bus, their
targets, PutEvents (custom events matched against the enabled rules) and
TestEventPattern."""
