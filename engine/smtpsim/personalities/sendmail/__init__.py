"""Sendmail 8.17 as Debian 12 configures it."""
