"""Run one notebook under several seeds and keep the spread of one of its tables as a reference file.

    python scripts/seed_spread.py 05 --profile standard --seeds 0 1 2 [--table comparison]

Each seed is a separate `rnnlab run` with RNNLAB_SEED set and its own build folder (build/seeds/<profile>/seed-N),
so the runs never overwrite build/metrics. The result, data/reference/<notebook>.seeds.<profile>.json, holds every
run's table, device, versions and wall time; the notebook reads it with report.load_reference(kind="seeds.<profile>").
Seconds per epoch in it are only as clean as the machine was quiet; the accuracies do not depend on that.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys

from rnnlab import paths
from rnnlab.notebooks import resolve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", help="notebook number or name, e.g. 05")
    parser.add_argument("--profile", default="standard", choices=["quick", "standard", "full"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--table", default="comparison", help="the recorded table to keep (default: comparison)")
    args = parser.parse_args(argv)
    if len(set(args.seeds)) < 2 or min(args.seeds) < 0:
        parser.error("--seeds needs at least two different whole numbers >= 0")
    (notebook,) = [nb.stem for nb in resolve([args.notebook])]

    runs = []
    for seed in args.seeds:
        build = paths.build_dir() / "seeds" / args.profile / f"seed-{seed}"
        env = dict(os.environ, **{paths.SEED_ENV: str(seed), paths.BUILD_ENV: str(build)})
        print(f"seed {seed}: rnnlab run --profile {args.profile} {notebook} -> {build}", flush=True)
        done = subprocess.run([sys.executable, "-m", "rnnlab", "run", "--profile", args.profile, notebook], env=env)
        if done.returncode != 0:
            print(f"seed {seed}: the run failed; see {build / 'logs'}", file=sys.stderr)
            return 1
        metrics = json.loads((build / "metrics" / f"{notebook}.json").read_text(encoding="utf-8"))
        if args.table not in metrics.get("tables", {}):
            print(f"seed {seed}: the notebook recorded no table {args.table!r}", file=sys.stderr)
            return 1
        runs.append(dict(seed=seed, wall_s=metrics.get("wall_s"), finished=metrics.get("finished"),
                         table=metrics["tables"][args.table]))
    out = paths.REFERENCE_DIR / f"{notebook}.seeds.{args.profile}.json"
    kept = dict(notebook=notebook, profile=args.profile, kind=f"seeds.{args.profile}", table=args.table,
                seeds=args.seeds, device=metrics.get("device"), versions=metrics.get("versions"),
                finished=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                wall_s=round(sum(r["wall_s"] or 0 for r in runs), 1),
                command=" ".join(["python scripts/seed_spread.py", args.notebook, "--profile", args.profile,
                                  "--seeds", *map(str, args.seeds)]),
                runs=runs)
    out.write_text(json.dumps(kept, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"kept {len(runs)} runs in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
