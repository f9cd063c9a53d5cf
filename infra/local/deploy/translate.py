"""Translates a SAM template to plain CloudFormation offline, for a local deployer.

Run with the project venv's python:  python infra/local/deploy/translate.py infra/template.yaml > out.json

AWS runs the `AWS::Serverless-2016-10-31` transform inside CloudFormation; a local endpoint does
not, so this runs the same translator (aws-sam-translator, pinned in requirements.txt) here,
with no AWS call:

- Managed policy names resolve from the translator's bundled map; any name it lacks gets a
  made-up ARN rather than an IAM lookup.
- The translator accepts only S3 code locations, so each function's local `CodeUri` becomes
  `s3://fanout-local/<dir>`, and the local directory is kept in the translated
  `AWS::Lambda::Function`'s `Metadata.FanoutLocalCodeUri`, with the function's own Metadata
  (BuildMethod, BuildProperties), so the deployer can find each function's code.

Prints the CloudFormation template as JSON on stdout; errors go to stderr with exit status 1.
"""

import json
import os
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import yaml  # noqa: E402  (cfn-lint brings PyYAML)
from samtranslator.model.exceptions import InvalidDocumentException  # noqa: E402
from samtranslator.translator.transform import transform  # noqa: E402

PLACEHOLDER_BUCKET = "fanout-local"
SERVERLESS_FUNCTION = "AWS::Serverless::Function"


class CloudFormationLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short-form tags (`!Ref X`, `!GetAtt A.B`, `!Sub …`)."""


def _intrinsic(loader: CloudFormationLoader, tag_suffix: str, node: yaml.Node):
    name = "Ref" if tag_suffix == "Ref" else f"Fn::{tag_suffix}"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if tag_suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


CloudFormationLoader.add_multi_constructor("!", _intrinsic)


class OfflineManagedPolicies:
    """The translator's fallback loader for managed policies it does not know: no IAM call."""

    def load(self) -> dict[str, str]:
        return _AnyPolicy()


class _AnyPolicy(dict):
    """Answers every name with a made-up ARN (and is truthy, as the translator checks that)."""

    def __bool__(self) -> bool:
        return True

    def get(self, name, default=None):  # noqa: ARG002
        return f"arn:aws:iam::aws:policy/{name}"


def is_local(code_uri) -> bool:
    return isinstance(code_uri, str) and not code_uri.startswith("s3://")


def replace_local_code(template: dict) -> dict[str, str]:
    """Points each function with local code at a placeholder S3 location; returns id → local dir."""
    global_uri = ((template.get("Globals") or {}).get("Function") or {}).get("CodeUri")
    local: dict[str, str] = {}
    for logical_id, resource in (template.get("Resources") or {}).items():
        if not isinstance(resource, dict) or resource.get("Type") != SERVERLESS_FUNCTION:
            continue
        properties = resource.setdefault("Properties", {})
        code_uri = properties.get("CodeUri", global_uri)
        if not is_local(code_uri):
            continue
        directory = code_uri.strip().removeprefix("./").rstrip("/") or "."
        properties["CodeUri"] = f"s3://{PLACEHOLDER_BUCKET}/{directory}"
        local[logical_id] = code_uri
    return local


def translate(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        template = yaml.load(f, Loader=CloudFormationLoader)  # noqa: S506 (a SafeLoader subclass)
    if not isinstance(template, dict) or "Resources" not in template:
        raise ValueError(f"{path} is not a CloudFormation template (no Resources)")

    local = replace_local_code(template)
    own_metadata = {lid: template["Resources"][lid].get("Metadata") or {} for lid in local}

    translated = transform(template, {}, OfflineManagedPolicies())

    for logical_id, code_uri in local.items():
        function = translated["Resources"].get(logical_id)
        if not function or function.get("Type") != "AWS::Lambda::Function":
            raise ValueError(f"{logical_id}: no AWS::Lambda::Function of that name after translation")
        function["Metadata"] = {**own_metadata[logical_id], "FanoutLocalCodeUri": code_uri}
    return translated


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(f"usage: {os.path.basename(argv[0])} TEMPLATE", file=sys.stderr)
        return 1
    try:
        translated = translate(argv[1])
    except InvalidDocumentException as e:
        for cause in e.causes:
            print(f"{argv[1]}: {cause.message}", file=sys.stderr)
        return 1
    except (OSError, ValueError, yaml.YAMLError) as e:
        print(f"{argv[1]}: {e}", file=sys.stderr)
        return 1
    except Exception as e:  # noqa: BLE001  (the translator raises others on malformed input)
        print(f"{argv[1]}: translation failed: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    json.dump(translated, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
