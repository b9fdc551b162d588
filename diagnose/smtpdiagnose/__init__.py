"""smtpdiagnose: what a pasted mail error text means — :func:`smtpdiagnose.diagnose.diagnose`.

The rules (``diagnoses.json``) are compiled from the help centre's ``data/diagnoses.yml``; the
browser runs the same algorithm in ``docs/assets/js/diagnose-core.mjs``.
"""
