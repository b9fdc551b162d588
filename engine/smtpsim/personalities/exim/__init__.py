"""Exim 4.96 as Debian 12 configures it, and cPanel's Exim (``cpanel.py``)."""
