"""What runs the engine for someone: ``serve`` (a loopback SMTP server) and ``tls`` (its
certificate), ``console`` (the interactive session of ``shell`` and the live console) and ``memsock``
(a client library's socket wired to a :class:`~smtpsim.Connection`, for the sample pages)."""
