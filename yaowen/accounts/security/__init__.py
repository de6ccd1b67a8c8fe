"""Account security: second factors (authenticator apps, passkeys, recovery codes), the rule
that editors and administrators sign in with one, and the list of signed-in sessions."""
