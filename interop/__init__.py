"""Interoperability with the credential world: Open Badges / CLR evidence, CTDL."""
