"""AWS Systems Manager as served here: Parameter Store — users' own parameters and AWS's
public ones (``/aws/service/...``), read from the public image catalogue."""
