"""The standing torture suite: long runs behind ``make torture`` (skipped in ``make test``)."""
