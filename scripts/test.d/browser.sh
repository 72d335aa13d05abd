# shellcheck shell=bash
# Sourced by scripts/test: the browser test (tests/browser.rs) drives headless Chromium from Debian
# through chromedriver. Installs both when missing and makes the test mandatory: under scripts/test a
# browser that cannot start fails it instead of skipping.

browser_log() { printf '[browser] %s\n' "$*" >&2; }

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  browser_log "installing chromium and chromium-driver with apt-get"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >&2; then
    apt-get update -qq >&2 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >&2 ||
      browser_log "could not install Chromium: tests/browser.rs will fail"
  fi
fi
# tests/browser_jornada.rs fetches axe-core from npm into ~/.cache/arriendo-npm (outside the repo).
if ! command -v npm >/dev/null; then
  browser_log "installing npm with apt-get (axe-core for tests/browser_jornada.rs)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >&2 ||
    browser_log "could not install npm: tests/browser_jornada.rs will fail"
fi
export ARRIENDO_BROWSER_TESTS=1
browser_log "Chromium: $(/usr/bin/chromium --version 2>/dev/null || echo missing); screenshots in ${CARGO_TARGET_DIR:-target}/screenshots"
