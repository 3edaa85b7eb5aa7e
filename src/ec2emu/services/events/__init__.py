"""Amazon EventBridge as served here: rules on each account's default event bus, their
targets, PutEvents (custom events matched against the enabled rules), TestEventPattern,
and the connections and API destinations HTTP targets are configured with."""
