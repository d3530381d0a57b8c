#!/bin/sh
# Installs the Tether agent @VERSION@ on Debian, Ubuntu or Raspberry Pi OS and connects this
# device to the portal @PORTAL@, which served this script:
#
#   curl -fsSL @PORTAL@/downloads/install-agent.sh | sudo sh -s -- --name NAME
#
# With an enrollment token (ten_…) the device registers itself under NAME; with the device token
# (tdv_…) of a device an admin created, --name is not needed.
#
# Options:
#   --name NAME          the device's name in the portal (letters, digits, _ . -)
#   --token-file FILE    read the token from FILE; without it, it is asked for on the terminal
#                        (never pass it on the command line)
#   --target SPEC        a target to offer, as tether-agent --help shows (repeatable; default
#                        console=serial:/dev/ttyUSB0?baud=115200)
#
# What it does: installs the agent package (apt installs Java 17 if it is missing), checked
# against the SHA-256 the portal published; writes the token to /etc/tether/enroll.token (or a
# device token to /etc/tether/agent.token), root:tether-agent 0640; writes the portal's agent
# signing key to /etc/tether/upgrade.pub (the agent accepts upgrades signed with it,
# --upgrade-key); points /etc/tether/agent.env at this portal; starts the service. Once the agent
# has enrolled it deletes the enrollment token.
set -eu

PORTAL='@PORTAL@'
TUNNEL='@TUNNEL@'
DEB_SHA256='@DEB_SHA256@'
ETC=/etc/tether
STATE=/var/lib/tether-agent

die() {
  echo "install-agent: $*" >&2
  exit 1
}

name=
token_file=
targets=
while [ $# -gt 0 ]; do
  case "$1" in
    --name | --token-file | --target) [ $# -ge 2 ] || die "$1 needs a value" ;;
  esac
  case "$1" in
    --name) name=$2; shift 2 ;;
    --token-file) token_file=$2; shift 2 ;;
    --target)
      # plain characters only: the spec goes into agent.env unquoted
      case "$2" in *[!A-Za-z0-9_.:/?=\&@,%+-]*) die "--target $2: unexpected characters" ;; esac
      targets="$targets --target $2"
      shift 2
      ;;
    -h | --help) sed -n '2,22p' "$0" 2>/dev/null || true; exit 0 ;;
    *) die "unknown option $1 (see the comments at the top of this script)" ;;
  esac
done

case "$name" in *[!A-Za-z0-9_.-]*) die "--name $name: use letters, digits and _ . -" ;; esac
[ "$(id -u)" = 0 ] || die "run it as root: curl -fsSL $PORTAL/downloads/install-agent.sh | sudo sh -s -- …"
command -v apt-get >/dev/null || die "this installer needs apt (Debian, Ubuntu, Raspberry Pi OS); elsewhere run tether-agent.jar by hand ($PORTAL/downloads/tether-agent.jar)"
command -v curl >/dev/null || die "curl is missing: apt-get install -y curl"
[ -n "$targets" ] || targets=" --target console=serial:/dev/ttyUSB0?baud=115200"

if [ -n "$token_file" ]; then
  token=$(cat "$token_file") || die "cannot read $token_file"
else
  [ -r /dev/tty ] || die "no terminal to ask for the enrollment token on: use --token-file FILE"
  printf 'Token (ten_… from the portal'"'"'s Enrollment page, or the device'"'"'s tdv_…): ' >/dev/tty
  stty -echo </dev/tty 2>/dev/null || true
  read -r token </dev/tty || true
  stty echo </dev/tty 2>/dev/null || true
  printf '\n' >/dev/tty
fi
token=$(printf '%s' "$token" | tr -d ' \r\n')
case "$token" in
  ten_*) [ -n "$name" ] || die "--name NAME is required with an enrollment token: the device's name in the portal"
    [ ! -e "$ETC/agent.token" ] || die "this device already has a device token ($ETC/agent.token), which the agent would use instead: delete it first to enroll the device anew"
    [ ! -e "$STATE/device-token" ] || die "this device has enrolled already ($STATE/device-token): delete that file first to enroll it anew"
    token_path="$ETC/enroll.token"
    args="--enroll-token-file $token_path --name $name --upgrade-key $ETC/upgrade.pub$targets" ;;
  tdv_*) token_path="$ETC/agent.token"
    args="--upgrade-key $ETC/upgrade.pub$targets" ;;
  *) die "that is neither an enrollment token (ten_…) nor a device token (tdv_…)" ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
deb="$work/tether-agent_@DEB_VERSION@_all.deb"
echo "install-agent: downloading the agent package from $PORTAL"
curl -fsSL "$PORTAL/downloads/tether-agent.deb" -o "$deb" || die "cannot download $PORTAL/downloads/tether-agent.deb"
echo "$DEB_SHA256  $deb" | sha256sum -c --status - || die "the downloaded package does not match the SHA-256 the portal published"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" >/dev/null || die "apt-get could not install the agent package (see above)"

install -d -m 0755 "$ETC"
# the key upgrades from this portal must be signed with (public: readable by all)
cat >"$work/upgrade.pub" <<'KEY'
@UPGRADE_KEY@
KEY
install -m 0644 "$work/upgrade.pub" "$ETC/upgrade.pub"
umask 077
printf '%s\n' "$token" >"$token_path"
chown root:tether-agent "$token_path"
chmod 0640 "$token_path"
# agent.env keeps its other lines (CA, proxy); the portal and the arguments are this device's now
grep -v -e '^TETHER_PORTAL=' -e '^TETHER_AGENT_ARGS=' "$ETC/agent.env" >"$work/agent.env" || true
{
  echo "TETHER_PORTAL=$TUNNEL"
  echo "TETHER_AGENT_ARGS=$args"
} >>"$work/agent.env"
cat "$work/agent.env" >"$ETC/agent.env"

if [ -d /run/systemd/system ] && [ "$token_path" = "$ETC/agent.token" ]; then
  systemctl enable tether-agent >/dev/null 2>&1 || true
  systemctl restart tether-agent
  echo "install-agent: started: the device shows online in the portal within seconds (journalctl -u tether-agent says why not)"
elif [ -d /run/systemd/system ]; then
  systemctl enable tether-agent >/dev/null 2>&1 || true
  systemctl restart tether-agent
  echo "install-agent: started; waiting for the agent to enroll as $name"
  i=0
  while [ ! -s "$STATE/device-token" ] && [ $i -lt 60 ]; do
    if ! systemctl is-active --quiet tether-agent; then
      journalctl -u tether-agent -n 5 --no-pager -o cat 2>/dev/null | sed 's/^/  /' >&2 || true
      die "the agent stopped before it enrolled (the lines above say why)"
    fi
    sleep 1
    i=$((i + 1))
  done
  if [ -s "$STATE/device-token" ]; then
    rm -f "$ETC/enroll.token"
    echo "install-agent: enrolled; an admin approves $name in the portal unless the token approves itself"
  else
    echo "install-agent: not enrolled yet after a minute: journalctl -u tether-agent" >&2
  fi
else
  echo "install-agent: installed. systemd is not running here: start the agent with systemctl start tether-agent once it is"
fi
