#!/usr/bin/env bash
# Checks what ./atomstore tells a user on its first run, before a build exists: that it is building with Maven
# and about how long that takes, and, when the build fails, where the log is (exit 4). It runs a copy of the
# launcher beside a stand-in mvnw, so it takes no time. Also checks that ./mvnw runs Maven on a JDK >= 25
# with JAVA_HOME unset and only the system's default java (17 on this project's machines) on PATH.
# Run by ./run-tests; exits non-zero on failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fail() { echo "check-launcher: FAILED: $*" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/scripts"
cp "$root/atomstore" "$work/atomstore"
cp "$root/scripts/find-jdk.sh" "$work/scripts/"
printf '#!/bin/sh\necho "stand-in build: compilation failure"\nexit 1\n' >"$work/mvnw"
chmod +x "$work/mvnw"

set +e
"$work/atomstore" --version >"$work/out" 2>"$work/err"
code=$?
set -e
err="$(cat "$work/err")"
[ "$code" -eq 4 ] || fail "exit $code, expected 4 for a failed build; stderr: $err"
head -n 1 "$work/err" | grep -q 'first run, building the project with Maven (about 1-2 minutes' \
  || fail "first line does not say what it is doing and how long: $(head -n 1 "$work/err")"
grep -q "build failed; see $work/.atomstore-build.log" <<<"$err" || fail "no pointer to the build log: $err"
grep -q 'stand-in build: compilation failure' <<<"$err" || fail "the build's own error is not shown: $err"
[ ! -s "$work/out" ] || fail "stdout is not empty: $(cat "$work/out")"

mvnw_java="$(cd "$root" && env -u JAVA_HOME PATH=/usr/bin:/bin ./mvnw -v 2>&1 | sed -n 's/^Java version: \([0-9]*\).*/\1/p')"
[ "${mvnw_java:-0}" -ge 25 ] || fail "./mvnw without JAVA_HOME runs Maven on Java '${mvnw_java}', not >= 25"
echo "check-launcher: the first run says what it does and how long; a failed build points to its log;" \
  "./mvnw finds Java $mvnw_java with JAVA_HOME unset"
