"""OpenSMTPD 6.8 as Debian 12 configures it."""
