"""``python -m ec2emu`` runs the command line."""

from ec2emu.cli import main

main()
