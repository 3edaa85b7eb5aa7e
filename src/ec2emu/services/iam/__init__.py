"""IAM: users, groups and access keys (``users``); policies; roles; what they share
(``common``); ``service`` declares the service and lists its modules."""
