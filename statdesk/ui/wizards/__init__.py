"""Wizards: multi-step tasks such as importing a file."""
