# shellcheck shell=bash
# Sourced by scripts/test: starts the peers the backup tests talk to, all on 127.0.0.1 and free ports:
#   - an S3 server (moto_server, from PyPI)            -> BACKUP_TEST_S3_ENDPOINT
#   - sshd with a key-only user and a pinned host key  -> BACKUP_TEST_SFTP_{PORT,USER,KEY,HOST_KEY_FINGERPRINT,PATH,SSHD_CONFIG}
#   - an SMTP sink (aiosmtpd) writing mails to a folder -> BACKUP_TEST_SMTP_PORT, BACKUP_TEST_SMTP_DIR
# Each peer that cannot start is reported and its tests skip themselves (they say so).

backup_peers_log() { printf '[backup-peers] %s\n' "$*" >&2; }

backup_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

backup_wait_port() {
  local port=$1 tries=0
  until python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.5); sys.exit(s.connect_ex(('127.0.0.1',$port)))" 2>/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -gt 100 ] && return 1
    sleep 0.1
  done
}

BACKUP_PEERS_DIR=$(mktemp -d /tmp/arriendo-backup-peers.XXXXXX)
chmod 755 "$BACKUP_PEERS_DIR"
cleanup_steps+=("rm -rf $BACKUP_PEERS_DIR")

# --- S3: moto_server ---------------------------------------------------------------------------
if ! command -v moto_server >/dev/null 2>&1; then
  backup_peers_log "installing moto[server] with pip"
  pip install -q 'moto[server]' >&2 || true
fi
if command -v moto_server >/dev/null 2>&1; then
  port=$(backup_free_port)
  moto_server -H 127.0.0.1 -p "$port" >"$BACKUP_PEERS_DIR/moto.log" 2>&1 &
  pid=$!
  cleanup_steps+=("kill $pid 2>/dev/null")
  if backup_wait_port "$port"; then
    export BACKUP_TEST_S3_ENDPOINT="http://127.0.0.1:$port"
    backup_peers_log "S3 (moto) on $BACKUP_TEST_S3_ENDPOINT"
  else
    backup_peers_log "moto_server did not start; see $BACKUP_PEERS_DIR/moto.log"
  fi
else
  backup_peers_log "moto_server unavailable: S3 tests will skip"
fi

# --- SMTP: aiosmtpd -----------------------------------------------------------------------------
if ! python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
  backup_peers_log "installing aiosmtpd with pip"
  pip install -q aiosmtpd >&2 || true
fi
if python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
  port=$(backup_free_port)
  mkdir -p "$BACKUP_PEERS_DIR/mail"
  cat >"$BACKUP_PEERS_DIR/smtp_sink.py" <<'PY'
import asyncio, os, sys, time, uuid
from aiosmtpd.controller import Controller

class Sink:
    def __init__(self, folder):
        self.folder = folder
    async def handle_DATA(self, server, session, envelope):
        name = os.path.join(self.folder, f"{time.time():.6f}-{uuid.uuid4().hex}.eml")
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".tmp", name)
        return "250 OK"

controller = Controller(Sink(sys.argv[2]), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
try:
    asyncio.get_event_loop().run_forever()
except KeyboardInterrupt:
    pass
PY
  python3 "$BACKUP_PEERS_DIR/smtp_sink.py" "$port" "$BACKUP_PEERS_DIR/mail" >"$BACKUP_PEERS_DIR/smtp.log" 2>&1 &
  pid=$!
  cleanup_steps+=("kill $pid 2>/dev/null")
  if backup_wait_port "$port"; then
    export BACKUP_TEST_SMTP_PORT="$port" BACKUP_TEST_SMTP_DIR="$BACKUP_PEERS_DIR/mail"
    backup_peers_log "SMTP sink (aiosmtpd) on 127.0.0.1:$port"
  else
    backup_peers_log "aiosmtpd did not start; see $BACKUP_PEERS_DIR/smtp.log"
  fi
else
  backup_peers_log "aiosmtpd unavailable: email tests will skip"
fi

# --- SFTP: Debian's sshd, key-only user, pinned host key ----------------------------------------
if [ ! -x /usr/sbin/sshd ] && [ "$(id -u)" = 0 ]; then
  backup_peers_log "installing openssh-server with apt-get"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server; } >&2 || true
fi
if [ -x /usr/sbin/sshd ] && [ "$(id -u)" = 0 ]; then
  sftp_user=arriendo-backup-test
  if ! id "$sftp_user" >/dev/null 2>&1; then
    useradd --create-home --shell /usr/sbin/nologin "$sftp_user" 2>/dev/null \
      || useradd --create-home --shell /bin/sh "$sftp_user"
  fi
  # A locked password: the account can only log in with its key.
  usermod -p '*' "$sftp_user" 2>/dev/null || true
  home=$(getent passwd "$sftp_user" | cut -d: -f6)
  ssh_dir="$BACKUP_PEERS_DIR/ssh"
  mkdir -p "$ssh_dir"
  ssh-keygen -q -t ed25519 -N '' -f "$ssh_dir/host_ed25519" -C arriendo-test-host
  ssh-keygen -q -t ed25519 -N '' -f "$ssh_dir/client_ed25519" -C arriendo-test-client
  mkdir -p "$home/.ssh" "$home/backups"
  cp "$ssh_dir/client_ed25519.pub" "$home/.ssh/authorized_keys"
  chown -R "$sftp_user": "$home/.ssh" "$home/backups"
  chmod 700 "$home/.ssh"; chmod 600 "$home/.ssh/authorized_keys"
  port=$(backup_free_port)
  mkdir -p /run/sshd
  cat >"$ssh_dir/sshd_config" <<CFG
ListenAddress 127.0.0.1
Port $port
HostKey $ssh_dir/host_ed25519
PidFile $ssh_dir/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin no
AllowUsers $sftp_user
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
LogLevel VERBOSE
CFG
  /usr/sbin/sshd -D -e -f "$ssh_dir/sshd_config" >"$ssh_dir/sshd.log" 2>&1 &
  pid=$!
  cleanup_steps+=("kill $pid 2>/dev/null; rm -rf $home/backups/* $home/backups/.[!.]* 2>/dev/null")
  if backup_wait_port "$port"; then
    # The config too, so the timeout tests can start a private copy of this sshd and stop it
    # (SIGSTOP) without freezing the one the other tests share.
    export BACKUP_TEST_SFTP_PORT="$port" BACKUP_TEST_SFTP_USER="$sftp_user" \
      BACKUP_TEST_SFTP_KEY="$ssh_dir/client_ed25519" BACKUP_TEST_SFTP_PATH="$home/backups" \
      BACKUP_TEST_SFTP_SSHD_CONFIG="$ssh_dir/sshd_config"
    BACKUP_TEST_SFTP_HOST_KEY_FINGERPRINT=$(ssh-keygen -l -E sha256 -f "$ssh_dir/host_ed25519.pub" | awk '{print $2}')
    export BACKUP_TEST_SFTP_HOST_KEY_FINGERPRINT
    backup_peers_log "SFTP (sshd) on 127.0.0.1:$port, host key $BACKUP_TEST_SFTP_HOST_KEY_FINGERPRINT"
  else
    backup_peers_log "sshd did not start; see $ssh_dir/sshd.log"
  fi
else
  backup_peers_log "sshd unavailable (needs root and openssh-server): SFTP tests will skip"
fi
