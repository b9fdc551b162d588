"""TLS for ``smtpsim serve``: the server's certificate and context (not part of the engine).

Without ``--tls-cert`` a throw-away self-signed certificate is made with the ``openssl``
command (Debian's ``openssl`` package; Python's :mod:`ssl` cannot create one) in a
temporary directory ``$TMPDIR/smtpsim-tls-*``.  The private key is deleted as soon as the
context has read it (a server killed outright leaves no key behind); the certificate stays for
clients to be pointed at, and the directory goes when the server stops
(:meth:`ServerTLS.remove_throwaway`).  The key is an EC P-256 key: instant to generate and
accepted by every client we test (GnuTLS, OpenSSL, Node).
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import ssl
import subprocess
import tempfile
from dataclasses import dataclass


class TLSSetupError(ValueError):
    """A certificate problem, phrased for one line of output: ``option: what is wrong``."""


@dataclass(frozen=True)
class ServerTLS:
    context: ssl.SSLContext
    cert_file: str
    throwaway_dir: str | None = None  # made here for a throw-away certificate; removed at stop

    @property
    def throwaway(self) -> bool:
        return self.throwaway_dir is not None

    def remove_throwaway(self) -> None:
        """Remove the throw-away certificate's directory (nothing for a given certificate)."""
        if self.throwaway_dir is not None:
            shutil.rmtree(self.throwaway_dir, ignore_errors=True)


def make_ssl_context(cert: str, key: str) -> ssl.SSLContext:
    """A server context from PEM files; errors name the option at fault."""
    for option, path in (("--tls-cert", cert), ("--tls-key", key)):
        try:
            with open(path, "rb"):
                pass
        except OSError as e:
            raise TLSSetupError(f"{option}: cannot read {path}: {e.strerror}") from None
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        ctx.load_cert_chain(cert, key)
    except ssl.SSLError as e:
        raise TLSSetupError(
            f"--tls-cert/--tls-key: {cert} and {key} are not a PEM certificate and its private key "
            f"({e.reason or e})"
        ) from None
    return ctx


def throwaway_certificate(hostname: str, directory: str | None = None) -> tuple[str, str]:
    """Generate a self-signed certificate for ``hostname``, localhost and the loopback addresses."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise TLSSetupError(
            "--tls-cert: none given and the openssl command is not installed to make a throw-away "
            "certificate (install Debian's openssl, give --tls-cert and --tls-key, or use --tls none)"
        )
    directory = directory or tempfile.mkdtemp(prefix="smtpsim-tls-")
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    names = [hostname, "localhost"]
    san = ",".join(
        f"IP:{n}" if _is_ip(n) else f"DNS:{n}" for n in dict.fromkeys([*names, "127.0.0.1", "::1"])
    )
    cmd = [
        openssl,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "2",
        "-subj",
        f"/CN={hostname}",
        "-addext",
        f"subjectAltName={san}",
        "-keyout",
        key,
        "-out",
        cert,
    ]
    p = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        last = (p.stderr.strip().splitlines() or ["no output"])[-1]
        raise TLSSetupError(f"--tls-cert: openssl could not make a throw-away certificate: {last}")
    return cert, key


def server_tls(hostname: str, cert: str | None, key: str | None, directory: str | None = None) -> ServerTLS:
    """The given certificate, or a throw-away one when neither option is given (in a new
    ``smtpsim-tls-*`` directory under ``directory``, default ``$TMPDIR``; the caller removes it
    with :meth:`ServerTLS.remove_throwaway`)."""
    if (cert is None) != (key is None):
        missing = "--tls-key" if key is None else "--tls-cert"
        raise TLSSetupError(f"{missing}: missing (--tls-cert and --tls-key go together)")
    if cert is not None and key is not None:
        return ServerTLS(make_ssl_context(cert, key), cert)
    own = tempfile.mkdtemp(prefix="smtpsim-tls-", dir=directory)
    try:
        cert, key = throwaway_certificate(hostname, own)
        context = make_ssl_context(cert, key)
    except BaseException:
        shutil.rmtree(own, ignore_errors=True)
        raise
    os.unlink(key)  # the context holds it; nothing on disk outlives this process's memory
    return ServerTLS(context, cert, own)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
