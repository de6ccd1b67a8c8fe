"""Pages of account security: the two sign-in steps, second factors, signed-in sessions."""
