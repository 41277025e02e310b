#!/bin/sh
# Side by side, same machine, same run: zarr-python and Atomstore reading the same two stores.
set -e
DIR=${1:-/tmp/zarr-bench}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$DIR"
[ -d "$DIR/traj_zstd.zarr" ] || /usr/bin/python3 "$HERE/zarr_bench.py" make "$DIR"
for s in traj_zstd traj_blosc_lz4; do
  /usr/bin/python3 "$HERE/zarr_bench.py" time "$DIR/$s.zarr"
  "$HERE/../../atomstore" arrays bench "$DIR/$s.zarr"
done
