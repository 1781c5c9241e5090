#!/usr/bin/env python3
"""validate-json.py SCHEMA FILE: validates FILE (or "-" for stdin) against an OCI JSON
schema whose $refs point at sibling files (defs.json, config-linux.json ...).
Prints each violation with its JSON path and exits 1 when there is one."""
import json
import os
import sys
import warnings

warnings.simplefilter("ignore")
import jsonschema  # noqa: E402


def main():
    if len(sys.argv) != 3:
        print("usage: validate-json.py SCHEMA FILE", file=sys.stderr)
        return 2
    schema_path = os.path.abspath(sys.argv[1])
    with open(schema_path) as f:
        schema = json.load(f)
    if sys.argv[2] == "-":
        doc = json.load(sys.stdin)
    else:
        with open(sys.argv[2]) as f:
            doc = json.load(f)
    base = "file://" + os.path.dirname(schema_path) + "/"
    resolver = jsonschema.RefResolver(base_uri=base, referrer=schema)
    cls = jsonschema.validators.validator_for(schema)
    errors = list(cls(schema, resolver=resolver).iter_errors(doc))
    for e in errors:
        path = ".".join(str(p) for p in e.absolute_path) or "(root)"
        print(f"{path}: {e.message}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
