#!/usr/bin/env bash
# Runs every test of tebiki on a fresh Debian machine: installs what the tests need (Debian's
# Chromium, Japanese fonts, poppler-utils for PDFs, zbar-tools to read QR codes, node packages),
# checks formatting and lints (rustfmt, clippy), then runs the Rust tests and the browser suite.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(chromium fonts-noto-cjk poppler-utils zbar-tools)
command -v npm >/dev/null || pkgs+=(nodejs npm)   # the machine may carry its own Node.js
command -v java >/dev/null || pkgs+=(default-jre-headless)   # for the Nu HTML Checker (vnu-jar)
missing=()
for pkg in "${pkgs[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

npm ci --no-audit --no-fund --loglevel=error
# Formatting and lints are part of the suite: a change that is not formatted or that clippy warns
# about fails here, before any test runs.
cargo fmt --check
rustfmt --check --edition 2024 fuzz/fuzz_targets/slides.rs
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked
# Two test files at a time (one per core): the suite's files are independent (each builds its own
# site in a temporary folder and starts its own browser); 352 s instead of 488 s on 2 cores.
TEBIKI_BIN="$PWD/target/debug/tebiki" node --test --test-concurrency=2 tests/gui/
