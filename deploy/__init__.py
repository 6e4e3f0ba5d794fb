"""Running the portal as production does: nginx in front of several app servers (README)."""
