# shellcheck shell=bash
# Sourced by .ci/run: Debian's chromium and chromium-driver (tests/browser drives them with
# Selenium) and a CJK font (the report's Chinese names), installed quietly when missing.

_ci_chromium_install() {
  local out missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
  fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-microhei)
  [ ${#missing[@]} -eq 0 ] && return 0
  out=$({ apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"; } 2>&1) ||
    { echo "$out" >&2; echo ".ci/chromium.sh: apt-get install ${missing[*]} failed" >&2; return 1; }
}

_ci_chromium_install
