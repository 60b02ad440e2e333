"""Staff accounts: roles, permissions per action, MFA sign-in."""
