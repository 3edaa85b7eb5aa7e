"""Lifecycle: the clock and the timed state machines of EC2 resources."""
