#!/usr/bin/env python3
"""Writes lib/elf/SveSpace.java: which SVE-space encodings SVE defines and which need SVE2, as llvm-objdump decodes them.

Needs llvm-objdump-14 and zig (python3 -m ziglang) on this machine. Run from the repository: python3 tests/support/sve-table.py
Each index of the first table (bits 31:29, 24:21, 15:10) is tried with 6 fillings of the other bits; an index whose fillings
disagree and include SVE2 is split by bits 20:16 (the second table). CpuCheckTest checks the result against llvm-objdump.
"""
import base64, os, random, subprocess, tempfile

SVE = "+sve,+i8mm,+bf16"
SVE2 = SVE + ",+sve2,+sve2-aes,+sve2-sha3,+sve2-bitperm"


def decodes(words, mattr, work):
    src, obj = os.path.join(work, "w.s"), os.path.join(work, "w.o")
    with open(src, "w") as o:
        o.writelines(".inst 0x%08x\n" % w for w in words)
    subprocess.run(["python3", "-m", "ziglang", "cc", "-target", "aarch64-linux-musl", "-c", src, "-o", obj], check=True)
    out = subprocess.run(["llvm-objdump-14", "-d", "--mattr=" + mattr, obj], check=True, capture_output=True, text=True).stdout
    rows = [l.split("\t") for l in out.splitlines() if l.startswith(" ") and ":" in l.split("\t")[0]]
    assert len(rows) == len(words), (len(rows), len(words))
    return [r[1].strip() != "<unknown>" for r in rows]


def classes(words, work):
    a, b = decodes(words, SVE, work), decodes(words, SVE2, work)
    return ["A" if x else "B" if y else "C" for x, y in zip(a, b)]


def pack(values):
    b = bytearray((len(values) + 3) // 4)
    for k, x in enumerate(values):
        b[k // 4] |= x << ((k % 4) * 2)
    return base64.b64encode(bytes(b)).decode()


def main():
    work = tempfile.mkdtemp()
    rnd = random.Random(1)
    free = (0x1f << 16) | 0x3ff
    fills = [0, free] + [rnd.getrandbits(32) & free for _ in range(4)]
    base = lambda i: ((i >> 10) << 29) | (0b0010 << 25) | (((i >> 6) & 15) << 21) | ((i & 63) << 10)
    c1 = classes([base(i) | f for i in range(8192) for f in fills], work)
    l1, split = [], []
    for i in range(8192):
        s = set(c1[i * 6:i * 6 + 6])
        if len(s) > 1 and "B" in s:
            l1.append(3)
            split.append(i)
        else:
            l1.append(0 if "A" in s else 1 if "B" in s else 2)
    lo = [0, 0x3ff] + [rnd.getrandbits(10) for _ in range(4)]
    c2 = classes([base(i) | (r << 16) | f for i in split for r in range(32) for f in lo], work)
    l2 = []
    for j in range(len(split) * 32):
        s = set(c2[j * 6:j * 6 + 6])
        l2.append(0 if "A" in s else 1 if "B" in s else 2)
    rows = lambda s: "\n".join('            + "%s"' % s[k:k + 120] for k in range(0, len(s), 120))
    template = open(os.path.join(os.path.dirname(__file__), "SveSpace.java.in")).read()
    with open("lib/elf/SveSpace.java", "w") as o:
        o.write(template.replace("@L1@", rows(pack(l1))).replace("@L2@", rows(pack(l2))))


if __name__ == "__main__":
    main()
