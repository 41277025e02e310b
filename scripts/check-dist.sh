#!/usr/bin/env bash
# Checks the distribution that `./mvnw package` leaves in cli/target: unpacked into a temporary folder, its
# bin/atomstore runs from another working directory (and through a symlink), answers --version and reads a
# golden .atp file, with no JVM WARNING line; the CLI jar's manifest grants native access and names its
# Main-Class and lib/ Class-Path; on the module path the modules resolve and run. Run by ./run-tests after the build; exits non-zero on the first failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fail() { echo "check-dist: FAILED: $*" >&2; exit 1; }
. "$root/scripts/find-jdk.sh"

# The newest one: an older version's tarball may linger in target/ until a clean.
tarball="$(ls -t "$root"/cli/target/atomstore-*.tar.gz 2>/dev/null | head -n 1)"
[ -n "$tarball" ] || fail "no cli/target/atomstore-VERSION.tar.gz (run ./mvnw -DskipTests package)"
version="$(basename "$tarball" .tar.gz)"; version="${version#atomstore-}"
golden="$root/../shared/compat/atompack-0.4.0/builtins_all_f32_v3__zstd3.atp"
[ -f "$golden" ] || fail "golden file missing: $golden"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work"
home="$work/atomstore-$version"
[ -x "$home/bin/atomstore" ] || fail "bin/atomstore missing or not executable in $tarball"
[ -f "$home/atomstore-cli-$version.jar" ] || fail "atomstore-cli-$version.jar missing in $tarball"
[ -n "$(ls "$home"/lib/atomstore-core-*.jar 2>/dev/null)" ] || fail "lib/atomstore-core-*.jar missing in $tarball"

manifest="$(unzip -p "$home/atomstore-cli-$version.jar" META-INF/MANIFEST.MF | tr -d '\r')"
grep -qx 'Enable-Native-Access: ALL-UNNAMED' <<<"$manifest" || fail "manifest lacks Enable-Native-Access: ALL-UNNAMED"
grep -qx 'Main-Class: org.atomstore.cli.Main' <<<"$manifest" || fail "manifest lacks Main-Class"
grep -q '^Class-Path: lib/' <<<"$manifest" || fail "manifest lacks a Class-Path into lib/"

mkdir "$work/elsewhere" "$work/bin"
ln -s "$home/bin/atomstore" "$work/bin/atomstore"
cd "$work/elsewhere"
# As a user would start it: another folder, JAVA_HOME unset, the default java possibly older than 25.
for cmd in "$home/bin/atomstore" "$work/bin/atomstore"; do
  env -u JAVA_HOME PATH=/usr/bin:/bin "$cmd" --version >"$work/out" 2>"$work/err" \
    || fail "$cmd --version exited $?: $(cat "$work/err")"
  grep -q "$version" "$work/out" || fail "--version printed no $version: $(cat "$work/out")"
  env -u JAVA_HOME PATH=/usr/bin:/bin "$cmd" info "$golden" >"$work/out" 2>"$work/err" \
    || fail "$cmd info exited $?: $(cat "$work/err")"
  grep -Eq '^molecules: +4$' "$work/out" || fail "info did not report the golden file's 4 molecules: $(cat "$work/out")"
  if grep -q 'WARNING' "$work/err"; then fail "JVM warnings reached the user: $(cat "$work/err")"; fi
done
# The same jars as named modules on the module path (what a modular application gets): the module graph
# resolves, io finds the SQLite driver as a service, and the README's module-path flag silences native access.
asedb="$root/../shared/testdata/generated/db/g2_molecules.db"
# Two jars that hold only native libraries have no name a module can take (PyTorch's, for `train`, and lmdbjava's
# `native`): they stay on the class path.
modpath="$home/atomstore-cli-$version.jar"
classpath=""
for jar in "$home"/lib/*.jar; do
  case "$(basename "$jar")" in
    pytorch-native-*|native-*) classpath="${classpath:+$classpath:}$jar" ;;
    *) modpath="$modpath:$jar" ;;
  esac
done
modular=("$JAVA_HOME/bin/java" --enable-native-access=com.github.luben.zstd_jni,org.lz4.java,org.xerial.sqlitejdbc,org.atomstore.data
  -p "$modpath" -cp "$classpath" -m org.atomstore.cli/org.atomstore.cli.Main)
"${modular[@]}" info "$golden" >"$work/out" 2>"$work/err" || fail "module-path info exited $?: $(cat "$work/err")"
grep -Eq '^molecules: +4$' "$work/out" || fail "module-path info: $(cat "$work/out") $(cat "$work/err")"
if [ -f "$asedb" ]; then
  "${modular[@]}" convert --compression zstd:3 "$asedb" "$work/g2.atp" >"$work/out" 2>"$work/err" \
    || fail "module-path convert of an ASE db exited $?: $(cat "$work/err")"
  [ -s "$work/g2.atp" ] || fail "module-path convert wrote nothing"
fi
# asebytes LMDB stores opened read-only go through liblmdb bound with java.lang.foreign in org.atomstore.data
# (lmdbjava's native library, found on the class path as a resource).
lmdbstore="$root/../shared/compat/asebytes/molecules.lmdb"
if [ -d "$lmdbstore" ]; then
  "${modular[@]}" dump "$lmdbstore" >"$work/out" 2>>"$work/err" || fail "module-path dump of an asebytes store exited $?: $(cat "$work/err")"
  grep -q '"frames"' "$work/out" || fail "module-path dump of an asebytes store printed no frames: $(head -c 300 "$work/out")"
fi
if grep -q 'WARNING' "$work/err"; then fail "JVM warnings on the module path: $(cat "$work/err")"; fi
echo "check-dist: $(basename "$tarball") runs from another folder, through a symlink and on the module path; manifest OK"
