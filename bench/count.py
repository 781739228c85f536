#!/usr/bin/env python3
"""Instructions an answer: one endpoint of one or more dongari builds,
counted by valgrind (cachegrind, without its cache simulation).

Time on this shared machine moves by a fifth from one minute to the next,
so a change worth a few per cent cannot be seen with wrk. An instruction
count barely moves between runs: each build serves the same database
twice under valgrind, once for a few requests and once for more, and the
difference over the extra requests is what one answer costs, start-up and
the first requests' warming taken out. It is a proxy for CPU time, not a
measure of it: `rep stos`/`rep movs` (large memset, memcpy) count an
instruction per iteration, and cache misses and locks cost nothing.

    python3 bench/count.py                                # the home page
    python3 bench/count.py --endpoint "my ledger"
    python3 bench/count.py --path "/clubs/{club}"         # any page of the bench's member
    python3 bench/count.py --binary old/dongari --binary target/release/dongari

Needs valgrind (Debian package) and a release build. The database is made
once (bench/work/count-<scale>) and copied for each build.
"""

import argparse
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import run


def instructions(binary, gen, as_of, endpoint, path, warm, counted):
    """Instructions a request to the endpoint costs `binary`."""
    run.DONGARI = Path(binary).resolve()
    folder = run.WORK / "count-run"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(gen["folder"], folder)
    copy = dict(gen, folder=folder, db=folder / "dongari.db")
    ctx = run.prepare(copy, as_of)
    label, url, headers, body, _ = next(
        e for e in run.endpoints(ctx, as_of[:10]) if e[0].startswith(endpoint))
    if path:
        url, body = path.replace("{club}", ctx["club"]), None
    ctx["server"].stop()
    if body is not None:
        raise SystemExit(f"{label}: only reads are counted (a write changes what the next one costs)")
    totals = []
    for requests in (warm, warm + counted):
        out = run.WORK / f"count.{requests}.out"
        server = run.Server(
            ["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={out}",
             str(run.DONGARI), "serve", "--bind", "127.0.0.1:{PORT}", "--as-of", as_of],
            env=run.dongari_env(copy["db"]), cwd=folder)
        for _ in range(requests):
            req = urllib.request.Request(f"http://127.0.0.1:{server.port}{url}")
            for header in headers:
                name, value = header.split(": ", 1)
                req.add_header(name, value)
            urllib.request.urlopen(req, timeout=120).read()
        server.proc.terminate()
        server.proc.wait()
        summary = subprocess.run(["cg_annotate", str(out)], capture_output=True, text=True,
                                 check=True).stdout
        totals.append(int(next(line for line in summary.splitlines()
                               if "PROGRAM TOTALS" in line).split()[0].replace(",", "")))
    return label if not path else path, (totals[1] - totals[0]) / counted


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", action="append",
                        help="a dongari build (default: target/release/dongari); repeat to compare")
    parser.add_argument("--endpoint", default="home page",
                        help="the start of a bench endpoint's label (bench/run.py)")
    parser.add_argument("--path", help="a page of the bench's member instead; {club} is their club")
    parser.add_argument("--scale", default="seoul")
    parser.add_argument("--as-of", default="2026-11-23")
    parser.add_argument("--requests", type=int, default=100, help="requests counted")
    parser.add_argument("--fresh", action="store_true", help="make the database again")
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    as_of = f"{args.as_of} 10:00"
    folder = run.WORK / f"count-{args.scale}"
    if args.fresh or not (folder / "dongari.db").exists():
        gen = run.generate(args.scale, as_of)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(gen["folder"], folder)
        (folder / "login").write_text(f"{gen['password']}\n{gen['organization']}\n")
    password, organization = (folder / "login").read_text().split("\n")[:2]
    gen = {"folder": folder, "db": folder / "dongari.db", "password": password,
           "organization": organization}
    for binary in args.binary or [str(run.DONGARI)]:
        what, per_answer = instructions(binary, gen, as_of, args.endpoint, args.path,
                                        warm=20, counted=args.requests)
        print(f"{binary}: {what}: {per_answer / 1000:,.1f}k instructions an answer", flush=True)


if __name__ == "__main__":
    sys.exit(main())
