"""Postfix 3.7 as Debian 12 configures it."""
