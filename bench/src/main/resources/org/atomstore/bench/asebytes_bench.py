"""Real asebytes side of AsebytesBench: shuffled whole-structure reads (ASEIO[i] -> ase.Atoms) and one full
calc.energy column, on the store given, read-only without a lock file. Prints one JSON line.
Run with asebytes' source on PYTHONPATH: python3 asebytes_bench.py STORE WARMUP SEED"""
import json, sys, time
import numpy as np
from asebytes import ASEIO, ObjectIO
from asebytes.lmdb import LMDBObjectReadBackend

store, warmup, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
be = LMDBObjectReadBackend(store, group="default", lock=False)
aio = ASEIO(be)
obj = ObjectIO(be)
n = len(aio)
order = np.random.default_rng(seed).permutation(n).tolist()
for i in order[:warmup]:
    aio[i]
t = time.perf_counter()
c = time.process_time()
natoms = 0
for i in order:
    natoms += len(aio[i])
reads = time.perf_counter() - t
reads_cpu = time.process_time() - c
cols, cols_cpu = [], []
for _ in range(3):
    t = time.perf_counter()
    c = time.process_time()
    energies = obj["calc.energy"].to_list()
    cols.append(time.perf_counter() - t)
    cols_cpu.append(time.process_time() - c)
print(json.dumps({"frames": n, "atoms": natoms, "shuffled_seconds": reads, "shuffled_frames_per_s": n / reads,
                  "shuffled_cpu_seconds": reads_cpu, "column_cpu_seconds": min(cols_cpu),
                  "column_seconds": min(cols), "column_rows": len(energies), "energy_sum": float(sum(energies))}))
