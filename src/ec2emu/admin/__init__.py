"""The emulator's own routes under ``/_ec2emu/``: clock control, guest shutdowns, the
instance listing the CLI shows, and reset; never reachable without the admin token."""
