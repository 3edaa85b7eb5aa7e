"""What a running emulator tells its operator: Prometheus metrics at ``/metrics``
(:mod:`~ec2emu.observability.metrics`) and one access-log line per request
(:mod:`~ec2emu.observability.access_log`), both fed from the record the pipeline fills
for each request (:mod:`~ec2emu.observability.record`).

Nothing here knows a service, a protocol or a credential: the app hands in the table of
served operations, the store and the clock.
"""
