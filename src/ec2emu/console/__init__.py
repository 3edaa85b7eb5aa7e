"""The web console at ``/_ec2emu/console/``: the fleet seen live and acted on, in a browser.

Served by the app itself (:mod:`ec2emu.app` routes the prefix here), rendered on the
server, with one small script and one style sheet of its own (``static/``, package
data): no build step, nothing fetched from elsewhere, and a layout that holds in a
narrow window. Its parts:

* :mod:`~ec2emu.console.routes` — sign-in and the dispatch to the pages;
* :mod:`~ec2emu.console.sessions` — signed session cookies (the key in the database,
  so any node sharing it accepts them), CSRF tokens, the limit on failed sign-ins;
* :mod:`~ec2emu.console.operate` — an EC2 operation run as the signed-in principal, as
  any client's call runs: IAM's check, the handler's rules, the audit trail;
* :mod:`~ec2emu.console.instances`, :mod:`~ec2emu.console.detail`,
  :mod:`~ec2emu.console.clock` — the pages; :mod:`~ec2emu.console.html` — their frame.

Choices of our own: an admin acts as the root of the account it picks; a page shows
what the principal's own DescribeInstances answers, so IAM's denial of a describe is
shown as AWS's error in place of the table; live states are polled (a JSON route,
every 1.5 s) rather than read from ``/_ec2emu/events/stream``, which is the admin's and
carries every account's events: a key's session may see only its own account, and a
page then needs no long-lived connection. Sign-in failures are counted per node.
"""
