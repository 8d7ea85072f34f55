"""Command line: ``rnnlab run | doctor | lab | slides | refresh | diagrams``, also as ``python -m rnnlab …``
(no make needed)."""
from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="rnnlab", description="RNN course helper commands")
    sub = parser.add_subparsers(dest="command", required=True)

    run_p = sub.add_parser("run", help="execute notebooks into build/ and write build/report.md")
    run_p.add_argument("--profile", default=None, help="quick | standard | full (default: $RNNLAB_PROFILE or standard)")
    run_p.add_argument("notebooks", nargs="*", help="numbers or names, e.g. 01 05 (default: all)")
    run_p.add_argument("--no-html", action="store_true", help="skip the HTML export")

    sub.add_parser("doctor", help="versions, device, profile, data folder and each dataset's status")

    sub.add_parser("lab", help="start JupyterLab in notebooks/; other options go to jupyter lab, e.g. --no-browser")

    ref_p = sub.add_parser("refresh", help="re-execute notebooks (quick) and keep only their checked outputs")
    ref_p.add_argument("notebooks", nargs="*", help="numbers or names (default: all)")

    sl_p = sub.add_parser("slides", help="build the offline decks (English and 中文) into build/slides/")
    sl_p.add_argument("notebooks", nargs="*", help="notebook numbers, e.g. 03 08 (default: all)")
    sl_p.add_argument("--figures", metavar="NN", help="list the figures of notebook NN's last run, by key")

    dg_p = sub.add_parser("diagrams", help="redraw the architecture diagrams (SVG) into notebooks/diagrams/")
    dg_p.add_argument("--out", default=None, help="write them to this folder instead")

    args, jupyter_args = parser.parse_known_args(argv)
    if jupyter_args and args.command != "lab":
        parser.error(f"unrecognized arguments: {' '.join(jupyter_args)}")
    try:
        if args.command == "run":
            from rnnlab.run import run_notebooks

            return run_notebooks(args.notebooks, profile=args.profile, html=not args.no_html)
        if args.command == "doctor":
            from rnnlab.run import doctor

            return doctor()
        if args.command == "lab":
            from rnnlab.run import lab

            return lab(jupyter_args)
        if args.command == "refresh":
            import os

            from rnnlab.notebooks import refresh_checked_outputs, resolve
            from rnnlab.paths import BUILD_ENV, build_dir

            os.environ[BUILD_ENV] = str(build_dir() / "refresh")
            for path in resolve(args.notebooks):
                print(f"{path.name}: {refresh_checked_outputs(path)} checked cells stored", flush=True)
            return 0
        if args.command == "slides":
            from rnnlab.slides import main as build_slides

            return build_slides(args.notebooks, figures=args.figures)
        if args.command == "diagrams":
            from rnnlab.diagrams import write_all

            for path in write_all(args.out):
                print(path, flush=True)
            return 0
    except ValueError as err:
        print(f"rnnlab: {err}", file=sys.stderr)
        return 2
    return 1


if __name__ == "__main__":
    sys.exit(main())
