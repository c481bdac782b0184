#!/usr/bin/env bash
# Installs HematoVision Edge on a Raspberry Pi OS / Debian (arm64) board as a systemd service.
# Run from a checkout as root: sudo scripts/install.sh
# Everything it needs comes from Debian and Maven Central; at run time nothing needs the internet.
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root (sudo scripts/install.sh)" >&2; exit 1; }
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest=/opt/hematovision

apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  openjdk-17-jdk-headless maven libpulse0 rsync >/dev/null

id hematovision >/dev/null 2>&1 || useradd --system --home /var/lib/hematovision --shell /usr/sbin/nologin hematovision
for g in video i2c spi gpio; do
  getent group "$g" >/dev/null || groupadd --system "$g"
  usermod -aG "$g" hematovision
done

# Build once here (downloads Maven dependencies), then copy the runnable tree.
(cd "$src" && mvn -q -B -DskipTests package)
mkdir -p "$dest"
rsync -a --delete --exclude .git --exclude 'target/classes' --exclude 'target/test-classes' "$src/" "$dest/"
chown -R root:root "$dest"

mkdir -p /etc/hematovision /var/lib/hematovision /var/log/hematovision
[ -f /etc/hematovision/hematovision.conf ] || cp "$src/docs/hematovision.conf.example" /etc/hematovision/hematovision.conf
chown -R hematovision:hematovision /var/lib/hematovision /var/log/hematovision

install -m 0644 "$src"/firmware-config/*.rules /etc/udev/rules.d/
udevadm control --reload && udevadm trigger || true
install -m 0644 "$src/systemd/hematovision.service" /etc/systemd/system/hematovision.service
systemctl daemon-reload
systemctl enable --now hematovision.service
echo "installed; see: systemctl status hematovision; journalctl -u hematovision -f"
echo "Board settings (I2C/SPI/camera) are in $src/firmware-config/BOARD.md: apply them and reboot once."
