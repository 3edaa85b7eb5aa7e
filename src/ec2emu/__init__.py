"""ec2emu: an EC2-compatible endpoint whose instance lifecycle behaves as AWS documents it.

The public surface is small: :func:`ec2emu.app.build_app` builds the ASGI application,
:class:`ec2emu.config.Settings` configures it, and ``ec2emu serve`` runs it.
"""

__version__ = "0.1.0"
