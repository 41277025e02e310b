#!/usr/bin/python3
"""The Python peer of CodecBench: the same sample packed and unpacked as atdata does (msgpack-python and
atdata's own _helpers.array_to_bytes / bytes_to_array, loaded unmodified from a checkout).
Usage: /usr/bin/python3 codec_bench.py PATH/TO/atdata/src/atdata/_helpers.py"""
import importlib.util, sys, time
import msgpack, numpy as np

spec = importlib.util.spec_from_file_location("atdata_helpers", sys.argv[1])
h = importlib.util.module_from_spec(spec); spec.loader.exec_module(h)
vec = (np.arange(128, dtype=np.float32) * 0.5)
n = 200_000
for r in range(3):
    t0 = time.perf_counter()
    for _ in range(n):
        b = msgpack.packb({"id": "sample-000001", "vector": h.array_to_bytes(vec), "score": 0.25, "step": 7})
    t1 = time.perf_counter()
    for _ in range(n):
        d = msgpack.unpackb(b, raw=False)
        d["vector"] = h.bytes_to_array(d["vector"])
    t2 = time.perf_counter()
    print(f"round {r}: encode {n/(t1-t0):.0f} samples/s, decode {n/(t2-t1):.0f} samples/s ({len(b)} bytes each)")
