#!/usr/bin/env bash
# Installs what pip cannot: Debian's chromium and its headless shell (browser tests),
# redis-server and nginx (scale-out tests), libraqm0 (Arabic and Persian on the table
# cards), valgrind (the benchmark that counts instructions). Says plainly what it could
# not install; the tests that need it are then skipped with that reason, and everything
# else still runs.
set -u
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# The tests drive the headless shell of the same build (a quarter of the CPU per page).
command -v chromium-headless-shell >/dev/null 2>&1 || need+=(chromium-headless-shell)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v nginx >/dev/null 2>&1 || need+=(nginx-light)  # scale-out recipe test
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
# libraqm shapes Arabic and Persian on the table cards (Pillow loads it, with FriBiDi,
# at run time; without it tischkarten.pdf with those languages fails with a clear message).
ldconfig -p 2>/dev/null | grep -q 'libraqm\.so\.0' || need+=(libraqm0)
ldconfig -p 2>/dev/null | grep -q 'libfribidi\.so\.0' || need+=(libfribidi0)
# pdftoppm rasterises tischkarten.pdf so the tests can decode its QR codes.
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# valgrind's callgrind counts instructions (bench/cpu_instructions.py and its test).
command -v callgrind_control >/dev/null 2>&1 || need+=(valgrind)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: installing ${need[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null; then
    exit 0
  fi
  echo "system-deps: apt-get could not install ${need[*]}."
fi
echo "system-deps: NOT INSTALLED: ${need[*]} (needs root and apt-get)."
echo "system-deps: tests that need them will be SKIPPED; install them and run 'make test' again."
exit 0
