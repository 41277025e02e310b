#!/usr/bin/python3
"""Reads of a 10,000 x 64 x 3 float32 trajectory chunked by 100 frames: zarr-python's side of the comparison.

    /usr/bin/python3 bench/zarr/zarr_bench.py make DIR        # writes DIR/traj_zstd.zarr and DIR/traj_blosc_lz4.zarr
    /usr/bin/python3 bench/zarr/zarr_bench.py time STORE      # times whole and windowed reads (same windows as Java)

Needs Debian's python3-zarr (2.13) and python3-numcodecs. See bench/zarr/run.sh for the side-by-side run.
"""
import sys
import time

import numpy as np
import numcodecs
import zarr


def make(out):
    rng = np.random.default_rng(7)
    # a random walk around fixed sites: compressible the way MD positions are
    base = rng.uniform(0, 20, size=(1, 64, 3)).astype(np.float32)
    steps = rng.normal(0, 0.01, size=(10_000, 64, 3)).astype(np.float32)
    pos = (base + np.cumsum(steps, axis=0)).astype(np.float32)
    for name, comp in (("traj_zstd.zarr", numcodecs.Zstd(level=3)),
                       ("traj_blosc_lz4.zarr", numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE))):
        g = zarr.open_group(f"{out}/{name}", mode="w")
        g.create_dataset("positions", data=pos, chunks=(100, 64, 3), compressor=comp)
        zarr.consolidate_metadata(f"{out}/{name}")


def windows(frames, n, w):
    x, out = 12345, []
    for _ in range(n):
        x = (x * 6364136223846793005 + 1442695040888963407) & (2**64 - 1)
        out.append((x >> 17) % (frames - w + 1))
    return out


def bench(store, repeats=20, n=100, w=50):
    a = zarr.open_consolidated(store, mode="r")["positions"]
    starts = windows(a.shape[0], n, w)
    whole, win, whole_cpu, win_cpu = [], [], [], []
    for rep in range(-3, repeats):
        # process CPU time (Blosc's threads included) beside wall-clock time, as the Java side prints it
        c0 = time.process_time()
        t0 = time.perf_counter()
        all_ = a[:]
        t1 = time.perf_counter()
        c1 = time.process_time()
        for s in starts:
            a[s:s + w]
        t2 = time.perf_counter()
        c2 = time.process_time()
        if rep >= 0:
            whole.append((t1 - t0) * 1e3)
            win.append((t2 - t1) * 1e3)
            whole_cpu.append((c1 - c0) * 1e3)
            win_cpu.append((c2 - c1) * 1e3)
    for x in (whole, win, whole_cpu, win_cpu):
        x.sort()
    print(f"zarr-python {store.rstrip('/').split('/')[-1]} positions {list(a.shape)}: whole median {whole[repeats // 2]:.2f} ms "
          f"best {whole[0]:.2f} ms; {n} windows of {w} median {win[repeats // 2]:.2f} ms best {win[0]:.2f} ms; "
          f"cpu median whole {whole_cpu[repeats // 2]:.2f} ms windows {win_cpu[repeats // 2]:.2f} ms "
          f"(blosc threads {numcodecs.blosc.get_nthreads()})")


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        bench(sys.argv[2])
