#!/usr/bin/env bash
# Prints one Surefire-style line totalling the test reports of every module written after STAMP (a file made
# before the build started), so a run's last line is the whole suite's count:
#   Tests run: N, Failures: F, Errors: E, Skipped: S
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stamp="$1"
find "$root" -path "$root/.git" -prune -o -path '*/target/surefire-reports/TEST-*.xml' -newer "$stamp" -print0 \
  | xargs -0 -r grep -h -m 1 -o '<testsuite [^>]*>' \
  | awk '
      function attr(name,   m) { return match($0, " " name "=\"[0-9]+\"") ? substr($0, RSTART + length(name) + 3, RLENGTH - length(name) - 4) + 0 : 0 }
      { $0 = " " $0; t += attr("tests"); f += attr("failures"); e += attr("errors"); s += attr("skipped"); n++ }
      END { printf "All modules, %d test classes:\nTests run: %d, Failures: %d, Errors: %d, Skipped: %d\n", n, t, f, e, s }'
