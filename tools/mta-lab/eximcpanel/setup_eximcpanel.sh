#!/bin/bash
# Re-runnable setup of the "cPanel-like" Exim variant (Debian 12, exim4-daemon-light 4.96).
# Needs: exim4-daemon-light + exim4-config installed (debconf default configtype 'local'), openssl.
# Starts nothing (see start_eximcpanel.sh). Writes into ${MTA_LAB}/eximcpanel/:
#   debian-default.conf  stock Debian config from update-exim4.conf (same as the lab's exim/default.conf)
#   cpanel.conf          the config the daemon runs with (= auth-tls variant of the lab + 2 ACL edits)
#   cpanel.diff          diff -u debian-default.conf cpanel.conf
set -euo pipefail
D=${MTA_LAB:?set MTA_LAB to the lab folder}/eximcpanel
# 1. listen on loopback high ports only (2525 = "port 25", 2587 = "port 587"); configtype stays 'local'
#    and 2465 = "port 465" (implicit TLS, tls_on_connect_ports below)
sed -i "s/^dc_local_interfaces=.*/dc_local_interfaces='127.0.0.1.2525 ; 127.0.0.1.2587 ; 127.0.0.1.2465'/" /etc/exim4/update-exim4.conf.conf
grep -q "^dc_eximconfig_configtype='local'" /etc/exim4/update-exim4.conf.conf
# 2. test user for AUTH (exim4_passwd(5) format user:crypt:clear), as in the lab
echo "testuser:$(openssl passwd -6 testpass):testpass" > /etc/exim4/passwd
chown root:Debian-exim /etc/exim4/passwd; chmod 640 /etc/exim4/passwd
# 3. self-signed cert for STARTTLS (MAIN_TLS_ENABLE uses CONFDIR/exim.crt + exim.key)
if [ ! -f /etc/exim4/exim.crt ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=vm \
    -keyout /etc/exim4/exim.key -out /etc/exim4/exim.crt 2>/dev/null
  chown root:Debian-exim /etc/exim4/exim.key /etc/exim4/exim.crt; chmod 640 /etc/exim4/exim.key
fi
# 4. stock Debian generated config
update-exim4.conf --keepcomments -o $D/debian-default.conf
# 5. cpanel.conf = MAIN_TLS_ENABLE + plain_server/login_server uncommented (AUTH advertised only
#    when $tls_in_cipher is set, i.e. after STARTTLS) + two edits in acl_check_rcpt
{ echo "MAIN_TLS_ENABLE = yes"; echo "tls_on_connect_ports = 2465"; cat $D/debian-default.conf; } > $D/cpanel.conf
python3 - "$D/cpanel.conf" <<'PY'
import sys, re
p = sys.argv[1]
L = open(p).read().split('\n'); out = []; inblk = False
for l in L:                      # same helper as lab/exim/setup_exim.sh (uncomment_auth)
    if l in ('# plain_server:', '# login_server:'): inblk = True
    if inblk:
        if l.strip() == '' or l.strip() == '#': inblk = False
        else: l = re.sub(r'^# ?', '', l, count=1)
    out.append(l)
s = '\n'.join(out)
def sub1(old, new):
    global s
    assert s.count(old) == 1, ("patch anchor not found exactly once", old)
    s = s.replace(old, new)
# (a) cPanel-like port-587 rule, first statement after "accept hosts = :" (local SMTP) in acl_check_rcpt,
#     so every unauthenticated RCPT on the submission port is denied (postmaster included)
sub1("acl_check_rcpt:\n", "acl_check_rcpt:\n")
a = s.index("acl_check_rcpt:\n")
anchor = "  accept\n    hosts = :\n    control = dkim_disable_verify\n"
i = s.index(anchor, a) + len(anchor)
s = s[:i] + ("\n  # probe-mta (cPanel-like): port 587 (here 2587) requires SMTP AUTH, denied at RCPT\n"
             "  deny\n"
             "    condition = ${if eq{$received_port}{2587}}\n"
             "    !authenticated = *\n"
             "    message = SMTP AUTH is required for message submission on port 587\n") + s[i:]
# (b) relay refusal worded like cPanel (three lines: "\n" in an expanded string is a newline)
sub1("  require\n    message = relay not permitted\n    domains = +local_domains : +relay_to_domains\n",
     "  # probe-mta (cPanel-like wording, was: message = relay not permitted)\n"
     "  require\n"
     "    message = Please turn on SMTP Authentication in your mail client.\\n$sender_fullhost [$sender_host_address]:$sender_host_port is not permitted to relay through\\nthis server without authentication.\n"
     "    domains = +local_domains : +relay_to_domains\n")
open(p, 'w').write(s)
PY
chmod 644 $D/*.conf; chown root:root $D/*.conf    # update-exim4.conf -o leaves group Debian-exim
diff -u $D/debian-default.conf $D/cpanel.conf > $D/cpanel.diff || true
exim4 -C $D/cpanel.conf -bV >/dev/null && echo "config cpanel OK"
