"""Amazon EventBridge as served here: event buses, rules and their event patterns."""
