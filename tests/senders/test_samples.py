"""The code samples on the sender pages, run for real against ``smtpsim serve`` (Exim personality):
signed in they send, without the sign-in they print the recipient refusal, and the page says exactly
what they print (``prints`` in data/senders.yml). The code run is ``render_sample`` of the page's
provider data with only the host and port pointing at loopback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from macros.clients_schema import PortOption
from macros.clients_schema import load_file as load_clients
from macros.senders import render_sample
from macros.senders_schema import Sample, load_file
from support.sample_servers import ROOT, Servers

SENDERS = load_file()
PROVIDER = load_clients(ROOT / "data" / "clients.yml").providers[0]  # SmartHost: what the pages show
RUNNABLE = [(s.id, sample) for s in SENDERS.senders for sample in s.samples if sample.run]
PHP_AUTOLOAD = {
    "libphp-phpmailer": "/usr/share/php/libphp-phpmailer/autoload.php",
    "php-symfony-mailer": "/usr/share/php/Symfony/Component/Mailer/autoload.php",
}
SUFFIX = {"python": ".py", "php": ".php", "node": ".js"}


def _missing(sample: Sample) -> str | None:
    """Why this machine cannot run *sample* (None: it can). `make setup` / .ci/run install these."""
    if sample.run == "php":
        if not shutil.which("php"):
            return "php-cli is not installed (Debian package php-cli)"
        for package, path in PHP_AUTOLOAD.items():
            if not Path(path).is_file():
                return f"{package} is not installed"
    if sample.run == "node" and not (ROOT / "node_modules" / "nodemailer").is_dir():
        return "nodemailer is not installed (npm ci)"
    return None


def run(sample: Sample, code: str, workdir: Path, cert: Path) -> list[str]:
    """Run *code* the way a customer would, trusting only our test certificate."""
    path = workdir / f"sample{SUFFIX[sample.run or '']}"
    path.write_text(code, encoding="utf-8")
    env = {
        **os.environ,
        "SSL_CERT_FILE": str(cert),
        "NODE_EXTRA_CA_CERTS": str(cert),
        "NODE_PATH": str(ROOT / "node_modules"),
    }
    if sample.run == "python":
        cmd = [sys.executable, str(path)]
    elif sample.run == "php":
        vendor = workdir / "vendor"  # what `composer install` would provide: Debian's copies
        vendor.mkdir(exist_ok=True)
        (vendor / "autoload.php").write_text(
            "<?php\n" + "".join(f"require '{p}';\n" for p in PHP_AUTOLOAD.values()), encoding="utf-8"
        )
        cmd = ["php", "-d", f"openssl.cafile={cert}", str(path)]
    else:
        cmd = ["node", str(path)]
    proc = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.rstrip("\n").splitlines()


@pytest.mark.parametrize(("sender_id", "sample"), RUNNABLE, ids=[f"{s}-{x.id}" for s, x in RUNNABLE])
@pytest.mark.parametrize("port_option", PROVIDER.ports, ids=lambda o: f"{o.port}-{o.security.value}")
def test_sample_prints_what_the_page_says(
    sender_id: str, sample: Sample, port_option: PortOption, servers: Servers, tmp_path: Path
) -> None:
    reason = _missing(sample)
    if reason:
        pytest.skip(reason)
    port = servers.implicit_port if port_option.security.value == "ssl_tls" else servers.starttls_port
    assert sample.prints is not None
    for sign_in, expected in ((True, sample.prints.signed_in), (False, sample.prints.without_sign_in)):
        code = render_sample(
            sample, PROVIDER, host="localhost", port=port, sign_in=sign_in, option=port_option
        )
        page_code = render_sample(sample, PROVIDER, sign_in=sign_in, option=port_option)
        assert code.replace("localhost", PROVIDER.host).replace(str(port), str(port_option.port)) == page_code
        assert run(sample, code, tmp_path, servers.cert) == expected, (sample.id, sign_in)


def test_samples_verify_the_certificate(servers: Servers, tmp_path: Path) -> None:
    """Control: without trusting our certificate the Python sample refuses the server, so the runs
    above really are encrypted and verified (no silent plain-text fallback)."""
    sample = next(x for _, x in RUNNABLE if x.run == "python")
    code = render_sample(sample, PROVIDER, host="localhost", port=servers.implicit_port)
    path = tmp_path / "sample.py"
    path.write_text(code, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "SSL_CERT_FILE"}
    proc = subprocess.run(
        [sys.executable, str(path)], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert "CERTIFICATE_VERIFY_FAILED" in proc.stderr + proc.stdout


def test_every_sample_is_run_or_says_why_not() -> None:
    for sender in SENDERS.senders:
        for sample in sender.samples:
            assert sample.run or sample.not_run, (sender.id, sample.id)
    assert {x.run for _, x in RUNNABLE} == {"python", "php", "node"}
