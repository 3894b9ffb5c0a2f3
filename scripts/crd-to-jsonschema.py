#!/usr/bin/env python3
"""Convert CustomResourceDefinition YAML files to JSON schemas that kubeconform reads.

usage: crd-to-jsonschema.py OUT_DIR CRD.yaml...

Writes OUT_DIR/<group>/<kind>_<version>.json (kind lower-cased), for kubeconform's
-schema-location 'OUT_DIR/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'.
The same conversion as kubeconform's openapi2jsonschema, made strict the way -strict is for built-in
kinds: an object schema that lists its properties rejects unknown ones, unless the CRD says it keeps
unknown fields.
"""
import json
import os
import sys

import yaml

# PyYAML reads a bare `=` (an enum value in some CRDs) as YAML 1.1's "value" tag, which it cannot construct.
yaml.SafeLoader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))


def to_json_schema(node):
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    schema = {key: to_json_schema(value) for key, value in node.items()}
    # OpenAPI's int-or-string has no JSON-schema type of its own.
    if schema.pop("x-kubernetes-int-or-string", False) or schema.get("format") == "int-or-string":
        schema.pop("format", None)
        schema.pop("type", None)
        schema["oneOf"] = [{"type": "string"}, {"type": "integer"}]
    if schema.pop("nullable", False) and isinstance(schema.get("type"), str):
        schema["type"] = [schema["type"], "null"]
    keeps_unknown = schema.get("x-kubernetes-preserve-unknown-fields") is True
    if "properties" in schema and "additionalProperties" not in schema and not keeps_unknown:
        schema["additionalProperties"] = False
    return schema


def versions_of(crd):
    spec = crd.get("spec", {})
    for version in spec.get("versions", []):
        schema = (version.get("schema") or {}).get("openAPIV3Schema") or (spec.get("validation") or {}).get("openAPIV3Schema")
        if schema is not None:
            yield version["name"], schema


def main(out_dir, paths):
    written = 0
    for path in paths:
        with open(path, encoding="utf-8") as stream:
            for crd in yaml.safe_load_all(stream):
                if not crd or crd.get("kind") != "CustomResourceDefinition":
                    continue
                group = crd["spec"]["group"]
                kind = crd["spec"]["names"]["kind"].lower()
                os.makedirs(os.path.join(out_dir, group), exist_ok=True)
                for version, schema in versions_of(crd):
                    target = os.path.join(out_dir, group, f"{kind}_{version}.json")
                    with open(target, "w", encoding="utf-8") as out:
                        json.dump(to_json_schema(schema), out, indent=1, sort_keys=True)
                    written += 1
    if written == 0:
        sys.exit("crd-to-jsonschema: no CRD versions found in " + " ".join(paths))
    print(f"crd-to-jsonschema: {written} schemas in {out_dir}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
